// Copyright (c) mmocr-wecromcl contributors. All rights reserved.
// Multi-scale deformable attention on the CPU: the bilinear sampling of
// every (query, head, level, point) and the attention-weighted sum in one
// pass over the sampled values, with its backward. Sampling follows
// grid_sample with align_corners=False and zero padding: a location x in
// [0, 1] is the pixel coordinate x * W - 0.5. The float32 loops are compiled
// for AVX-512, AVX2 and baseline x86-64 and chosen at run time.
#include <torch/extension.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <type_traits>
#include <vector>

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define MULTIVERSIONED __attribute__((target_clones("avx512f", "avx2", "default")))
#define INLINE_INTO_CLONES __attribute__((always_inline)) inline
#else
#define MULTIVERSIONED
#define INLINE_INTO_CLONES inline
#endif

namespace {

// Sizes and data of one call.
template <typename scalar_t>
struct Problem {
  int64_t B, S, M, D, Q, L, P;
  const int64_t *shape;  // (L, 2): H, W
  const int64_t *start;  // (L, ): first key of each level
  const scalar_t *value;  // (B, S, M, D)
  const scalar_t *loc;    // (B, Q, M, L, P, 2): x, y
  const scalar_t *attn;   // (B, Q, M, L, P)
};

// The four bilinear corners of (h, w) on an H x W map: their flat indices
// (or -1 outside the map) and weights, and the weights' derivatives along h
// and w. Needs h, w > -1.
template <typename scalar_t>
struct Corners {
  int64_t index[4];
  scalar_t weight[4];
  scalar_t d_h[4];
  scalar_t d_w[4];

  INLINE_INTO_CLONES Corners(scalar_t h, scalar_t w, int64_t height,
                             int64_t width) {
    // floor without a library call
    int64_t h_low = static_cast<int64_t>(h), w_low = static_cast<int64_t>(w);
    h_low -= h < h_low;
    w_low -= w < w_low;
    const scalar_t lh = h - h_low, lw = w - w_low;
    const scalar_t hh = 1 - lh, hw = 1 - lw;
    const int64_t hs[4] = {h_low, h_low, h_low + 1, h_low + 1};
    const int64_t ws[4] = {w_low, w_low + 1, w_low, w_low + 1};
    const scalar_t weights[4] = {hh * hw, hh * lw, lh * hw, lh * lw};
    const scalar_t dh[4] = {-hw, -lw, hw, lw};
    const scalar_t dw[4] = {-hh, hh, -lh, lh};
    for (int k = 0; k < 4; ++k) {
      const bool inside =
          hs[k] >= 0 && hs[k] < height && ws[k] >= 0 && ws[k] < width;
      index[k] = inside ? hs[k] * width + ws[k] : -1;
      weight[k] = weights[k];
      d_h[k] = dh[k];
      d_w[k] = dw[k];
    }
  }
};

// The pixel coordinates (h, w) of sampling location i on an H x W level;
// false where no bilinear corner of it lies on the level.
template <typename scalar_t>
INLINE_INTO_CLONES bool pixel(const Problem<scalar_t> &pb, int64_t i,
                              int64_t H, int64_t W, scalar_t *h, scalar_t *w) {
  *h = pb.loc[2 * i + 1] * H - scalar_t(0.5);
  *w = pb.loc[2 * i] * W - scalar_t(0.5);
  return *h > -1 && *w > -1 && *h < H && *w < W;
}

// Output rows of the (batch, query) pairs [begin, end): every head of a
// query in turn, so that the value rows around the query are read while in
// cache. kD > 0 fixes the head width at compile time (the sum then stays in
// registers); kD = 0 reads it from the problem.
template <typename scalar_t, int kD>
INLINE_INTO_CLONES void forward_range(const Problem<scalar_t> &pb,
                                      scalar_t *__restrict__ out,
                                      int64_t begin, int64_t end) {
  const int64_t M = pb.M, D = kD > 0 ? kD : pb.D, L = pb.L, P = pb.P;
  for (int64_t bq = begin; bq < end; ++bq) {
    const int64_t b = bq / pb.Q;
    for (int64_t m = 0; m < M; ++m) {
      scalar_t fixed[kD > 0 ? kD : 1] = {};
      scalar_t *__restrict__ row = out + (bq * M + m) * D;
      scalar_t *__restrict__ sum = kD > 0 ? fixed : row;
      if (kD == 0) std::fill(row, row + D, scalar_t(0));
      const int64_t lp = (bq * M + m) * L * P;
      for (int64_t l = 0; l < L; ++l) {
        const int64_t H = pb.shape[2 * l], W = pb.shape[2 * l + 1];
        const scalar_t *__restrict__ v_level =
            pb.value + ((b * pb.S + pb.start[l]) * M + m) * D;
        for (int64_t p = 0; p < P; ++p) {
          const int64_t i = lp + l * P + p;
          scalar_t h, w;
          if (!pixel(pb, i, H, W, &h, &w)) continue;
          const Corners<scalar_t> c(h, w, H, W);
          for (int k = 0; k < 4; ++k) {
            if (c.index[k] < 0) continue;
            const scalar_t a = pb.attn[i] * c.weight[k];
            const scalar_t *__restrict__ src = v_level + c.index[k] * M * D;
            for (int64_t d = 0; d < D; ++d) sum[d] += a * src[d];
          }
        }
      }
      if (kD > 0) {
        for (int64_t d = 0; d < D; ++d) row[d] = sum[d];
      }
    }
  }
}

// Gradients of the (batch, head) pairs [begin, end): each pair owns its
// slice of the values' gradient, so no two threads write the same element.
template <typename scalar_t>
INLINE_INTO_CLONES void backward_range(const Problem<scalar_t> &pb,
                                       const scalar_t *__restrict__ g_out,
                                       scalar_t *__restrict__ g_v,
                                       scalar_t *__restrict__ g_loc,
                                       scalar_t *__restrict__ g_attn,
                                       int64_t begin, int64_t end) {
  const int64_t M = pb.M, D = pb.D, L = pb.L, P = pb.P, Q = pb.Q;
  for (int64_t bm = begin; bm < end; ++bm) {
    const int64_t b = bm / M, m = bm % M;
    for (int64_t q = 0; q < Q; ++q) {
      const scalar_t *__restrict__ g_row = g_out + ((b * Q + q) * M + m) * D;
      const int64_t lp = ((b * Q + q) * M + m) * L * P;
      for (int64_t l = 0; l < L; ++l) {
        const int64_t H = pb.shape[2 * l], W = pb.shape[2 * l + 1];
        const int64_t offset = ((b * pb.S + pb.start[l]) * M + m) * D;
        for (int64_t p = 0; p < P; ++p) {
          const int64_t i = lp + l * P + p;
          scalar_t h, w;
          if (!pixel(pb, i, H, W, &h, &w)) continue;
          const Corners<scalar_t> c(h, w, H, W);
          const scalar_t attn = pb.attn[i];
          scalar_t sampled = 0, grad_h = 0, grad_w = 0;
          for (int k = 0; k < 4; ++k) {
            if (c.index[k] < 0) continue;
            const int64_t at = offset + c.index[k] * M * D;
            const scalar_t *__restrict__ src = pb.value + at;
            scalar_t *__restrict__ dst = g_v + at;
            const scalar_t a = attn * c.weight[k];
            scalar_t dot = 0;
            for (int64_t d = 0; d < D; ++d) {
              dot += g_row[d] * src[d];
              dst[d] += a * g_row[d];
            }
            sampled += c.weight[k] * dot;
            grad_h += c.d_h[k] * dot;
            grad_w += c.d_w[k] * dot;
          }
          g_attn[i] = sampled;
          g_loc[2 * i] = attn * grad_w * W;
          g_loc[2 * i + 1] = attn * grad_h * H;
        }
      }
    }
  }
}

MULTIVERSIONED void forward_range_float(const Problem<float> &pb, float *out,
                                        int64_t begin, int64_t end) {
  // the head widths of the shipped configurations (192 / 8, 96 / 4,
  // 256 / 8), then any
  switch (pb.D) {
    case 24:
      forward_range<float, 24>(pb, out, begin, end);
      break;
    case 32:
      forward_range<float, 32>(pb, out, begin, end);
      break;
    default:
      forward_range<float, 0>(pb, out, begin, end);
  }
}

MULTIVERSIONED void backward_range_float(const Problem<float> &pb,
                                         const float *g_out, float *g_v,
                                         float *g_loc, float *g_attn,
                                         int64_t begin, int64_t end) {
  backward_range(pb, g_out, g_v, g_loc, g_attn, begin, end);
}

template <typename scalar_t>
void run_forward(const Problem<scalar_t> &pb, scalar_t *out) {
  at::parallel_for(0, pb.B * pb.Q, 64, [&](int64_t begin, int64_t end) {
    if constexpr (std::is_same_v<scalar_t, float>) {
      forward_range_float(pb, out, begin, end);
    } else {
      forward_range<scalar_t, 0>(pb, out, begin, end);
    }
  });
}

template <typename scalar_t>
void run_backward(const Problem<scalar_t> &pb, const scalar_t *g_out,
                  scalar_t *g_v, scalar_t *g_loc, scalar_t *g_attn) {
  at::parallel_for(0, pb.B * pb.M, 1, [&](int64_t begin, int64_t end) {
    if constexpr (std::is_same_v<scalar_t, float>) {
      backward_range_float(pb, g_out, g_v, g_loc, g_attn, begin, end);
    } else {
      backward_range(pb, g_out, g_v, g_loc, g_attn, begin, end);
    }
  });
}

template <typename scalar_t>
Problem<scalar_t> make_problem(const torch::Tensor &value,
                               const torch::Tensor &shapes,
                               const torch::Tensor &starts,
                               const torch::Tensor &sampling_loc,
                               const torch::Tensor &attn_weight) {
  return Problem<scalar_t>{value.size(0),
                           value.size(1),
                           value.size(2),
                           value.size(3),
                           sampling_loc.size(1),
                           sampling_loc.size(3),
                           sampling_loc.size(4),
                           shapes.data_ptr<int64_t>(),
                           starts.data_ptr<int64_t>(),
                           value.data_ptr<scalar_t>(),
                           sampling_loc.data_ptr<scalar_t>(),
                           attn_weight.data_ptr<scalar_t>()};
}

void check_inputs(const torch::Tensor &value,
                  const torch::Tensor &spatial_shapes,
                  const torch::Tensor &level_start_index,
                  const torch::Tensor &sampling_loc,
                  const torch::Tensor &attn_weight) {
  for (const auto *t : {&value, &spatial_shapes, &level_start_index,
                        &sampling_loc, &attn_weight}) {
    TORCH_CHECK(t->device().is_cpu(), "ms_deform_attn_cpu: CPU tensors only");
    TORCH_CHECK(t->is_contiguous(),
                "ms_deform_attn_cpu: contiguous tensors only");
  }
  TORCH_CHECK(spatial_shapes.scalar_type() == torch::kLong &&
                  level_start_index.scalar_type() == torch::kLong,
              "spatial_shapes and level_start_index must be int64");
  TORCH_CHECK(value.dim() == 4, "value must be (B, S, M, D)");
  TORCH_CHECK(sampling_loc.dim() == 6,
              "sampling_loc must be (B, Q, M, L, P, 2)");
  TORCH_CHECK(attn_weight.dim() == 5, "attn_weight must be (B, Q, M, L, P)");
  TORCH_CHECK(value.scalar_type() == sampling_loc.scalar_type() &&
                  value.scalar_type() == attn_weight.scalar_type(),
              "value, sampling_loc and attn_weight must share a dtype");
}

}  // namespace

torch::Tensor ms_deform_attn_forward(const torch::Tensor &value,
                                     const torch::Tensor &spatial_shapes,
                                     const torch::Tensor &level_start_index,
                                     const torch::Tensor &sampling_loc,
                                     const torch::Tensor &attn_weight) {
  check_inputs(value, spatial_shapes, level_start_index, sampling_loc,
               attn_weight);
  // every row is written by forward_range
  auto output = torch::empty({value.size(0), sampling_loc.size(1),
                              value.size(2), value.size(3)},
                             value.options());
  AT_DISPATCH_FLOATING_TYPES(value.scalar_type(), "ms_deform_attn_forward", [&] {
    run_forward(make_problem<scalar_t>(value, spatial_shapes,
                                       level_start_index, sampling_loc,
                                       attn_weight),
                output.data_ptr<scalar_t>());
  });
  return output;
}

std::vector<torch::Tensor> ms_deform_attn_backward(
    const torch::Tensor &value, const torch::Tensor &spatial_shapes,
    const torch::Tensor &level_start_index, const torch::Tensor &sampling_loc,
    const torch::Tensor &attn_weight, const torch::Tensor &grad_output) {
  check_inputs(value, spatial_shapes, level_start_index, sampling_loc,
               attn_weight);
  TORCH_CHECK(grad_output.is_contiguous() &&
                  grad_output.scalar_type() == value.scalar_type(),
              "grad_output must be contiguous and of the values' dtype");
  auto grad_value = torch::zeros_like(value);
  auto grad_loc = torch::zeros_like(sampling_loc);
  auto grad_attn = torch::zeros_like(attn_weight);
  AT_DISPATCH_FLOATING_TYPES(value.scalar_type(), "ms_deform_attn_backward", [&] {
    run_backward(make_problem<scalar_t>(value, spatial_shapes,
                                        level_start_index, sampling_loc,
                                        attn_weight),
                 grad_output.data_ptr<scalar_t>(),
                 grad_value.data_ptr<scalar_t>(),
                 grad_loc.data_ptr<scalar_t>(),
                 grad_attn.data_ptr<scalar_t>());
  });
  return {grad_value, grad_loc, grad_attn};
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("ms_deform_attn_forward", &ms_deform_attn_forward,
        "Multi-scale deformable attention, forward (CPU)");
  m.def("ms_deform_attn_backward", &ms_deform_attn_backward,
        "Multi-scale deformable attention, backward (CPU)");
}
