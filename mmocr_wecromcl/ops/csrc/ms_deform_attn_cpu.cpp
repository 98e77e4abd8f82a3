// Copyright (c) mmocr-wecromcl contributors. All rights reserved.
// Multi-scale deformable attention on the CPU. The forward takes the raw
// projections of the queries and, per query and head, computes the softmax
// of the attention logits, the sampling locations, the bilinear sampling of
// every (level, point) and the attention-weighted sum in one pass; the
// backward takes the locations and weights that the forward wrote. Sampling
// follows grid_sample with align_corners=False and zero padding: a location
// x in [0, 1] is the pixel coordinate x * W - 0.5. Float32 and bfloat16
// values are computed in float32 (float64 ones in float64); those loops are
// compiled for AVX-512, AVX2 and baseline x86-64 and chosen at run time.
#include <torch/extension.h>

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
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

// Sizes and data of a backward call.
template <typename scalar_t>
struct Problem {
  int64_t B, S, M, D, Q, L, P;
  const int64_t *shape;  // (L, 2): H, W
  const int64_t *start;  // (L, ): first key of each level
  const scalar_t *value;  // (B, S, M, D)
  const scalar_t *loc;    // (B, Q, M, L, P, 2): x, y
  const scalar_t *attn;   // (B, Q, M, L, P)
};

// Sizes and data of a forward call: the values and the raw projections of
// the queries, in value_t (float, double or bfloat16); the reference
// points in acc_t, the type everything is computed in (double for double
// values, float otherwise).
template <typename value_t, typename acc_t>
struct ForwardProblem {
  int64_t B, S, M, D, Q, L, P;
  const int64_t *shape;    // (L, 2): H, W
  const int64_t *start;    // (L, )
  const value_t *value;    // (B, S, M, D)
  const acc_t *ref;        // (B, Q, L, 2): x, y in [0, 1]
  const value_t *offset;   // (B, Q, M, L, P, 2): x, y in pixels of the level
  const value_t *logit;    // (B, Q, M, L * P)
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

// The pixel coordinates (h, w) of the location (x, y) on an H x W level;
// false where no bilinear corner of it lies on the level.
template <typename scalar_t>
INLINE_INTO_CLONES bool pixel(scalar_t x, scalar_t y, int64_t H, int64_t W,
                              scalar_t *h, scalar_t *w) {
  *h = y * H - scalar_t(0.5);
  *w = x * W - scalar_t(0.5);
  return *h > -1 && *w > -1 && *h < H && *w < W;
}

// Eight float32 lanes, which the compiler keeps in a vector register.
typedef float Float8 __attribute__((vector_size(32)));
typedef uint16_t UInt16x8 __attribute__((vector_size(16)));
typedef uint32_t UInt32x8 __attribute__((vector_size(32)));

// Eight consecutive values as float32 lanes.
INLINE_INTO_CLONES Float8 load8(const float *row) {
  Float8 lanes;
  std::memcpy(&lanes, row, sizeof(lanes));
  return lanes;
}

INLINE_INTO_CLONES Float8 load8(const c10::BFloat16 *row) {
  UInt16x8 half;
  std::memcpy(&half, row, sizeof(half));
  // bfloat16 is the upper half of a float32
  const UInt32x8 bits = __builtin_convertvector(half, UInt32x8) << 16;
  Float8 lanes;
  std::memcpy(&lanes, &bits, sizeof(lanes));
  return lanes;
}

// Output rows of the (batch, query) pairs [begin, end): every head of a
// query in turn, so that the value rows around the query are read while in
// cache. For each head: the softmax of its L * P logits, the sampling
// locations (reference point + offset / level size, as mmcv computes them),
// then the weighted sum of the bilinear samples. Where loc_out and attn_out
// are given, the locations and weights are written there for the backward.
// kD > 0, a multiple of 8, fixes the head width at compile time: each
// bilinear sample and the sums then stay in float32 vector registers;
// kD = 0 reads the width from the problem.
template <typename value_t, typename acc_t, int kD>
INLINE_INTO_CLONES void forward_range(const ForwardProblem<value_t, acc_t> &pb,
                                      value_t *__restrict__ out,
                                      acc_t *__restrict__ loc_out,
                                      acc_t *__restrict__ attn_out,
                                      int64_t begin, int64_t end) {
  static_assert(kD % 8 == 0 && (kD == 0 || std::is_same_v<acc_t, float>),
                "fixed head widths are float32 multiples of 8");
  const int64_t M = pb.M, D = kD > 0 ? kD : pb.D, L = pb.L, P = pb.P;
  const int64_t LP = L * P;
  std::vector<acc_t> buffer(3 * LP + D);
  acc_t *__restrict__ attn = buffer.data();
  acc_t *__restrict__ loc = attn + LP;
  for (int64_t bq = begin; bq < end; ++bq) {
    const int64_t b = bq / pb.Q;
    const acc_t *__restrict__ ref = pb.ref + bq * L * 2;
    for (int64_t m = 0; m < M; ++m) {
      const int64_t lp = (bq * M + m) * LP;
      // softmax over the head's L * P logits
      const value_t *__restrict__ logit = pb.logit + lp;
      acc_t top = static_cast<acc_t>(logit[0]), total = 0;
      for (int64_t i = 1; i < LP; ++i)
        top = std::max(top, static_cast<acc_t>(logit[i]));
      for (int64_t i = 0; i < LP; ++i) {
        attn[i] = std::exp(static_cast<acc_t>(logit[i]) - top);
        total += attn[i];
      }
      for (int64_t i = 0; i < LP; ++i) attn[i] /= total;
      const value_t *__restrict__ offset = pb.offset + 2 * lp;
      for (int64_t l = 0; l < L; ++l) {
        const acc_t W = pb.shape[2 * l + 1], H = pb.shape[2 * l];
        for (int64_t p = 0; p < P; ++p) {
          const int64_t i = l * P + p;
          loc[2 * i] = ref[2 * l] + static_cast<acc_t>(offset[2 * i]) / W;
          loc[2 * i + 1] =
              ref[2 * l + 1] + static_cast<acc_t>(offset[2 * i + 1]) / H;
        }
      }
      if (loc_out != nullptr) {
        std::copy(attn, attn + LP, attn_out + lp);
        std::copy(loc, loc + 2 * LP, loc_out + 2 * lp);
      }
      acc_t *__restrict__ sum = loc + 2 * LP;
      Float8 lanes[kD > 0 ? kD / 8 : 1] = {};
      if constexpr (kD == 0) std::fill(sum, sum + D, acc_t(0));
      for (int64_t l = 0; l < L; ++l) {
        const int64_t H = pb.shape[2 * l], W = pb.shape[2 * l + 1];
        const value_t *__restrict__ v_level =
            pb.value + ((b * pb.S + pb.start[l]) * M + m) * D;
        for (int64_t p = 0; p < P; ++p) {
          const int64_t i = l * P + p;
          acc_t h, w;
          if (!pixel(loc[2 * i], loc[2 * i + 1], H, W, &h, &w)) continue;
          const Corners<acc_t> c(h, w, H, W);
          if constexpr (kD > 0) {
            // the bilinear sample in registers, then into the sums
            Float8 sample[kD / 8] = {};
            for (int k = 0; k < 4; ++k) {
              if (c.index[k] < 0) continue;
              const value_t *__restrict__ src = v_level + c.index[k] * M * D;
#pragma GCC unroll 8
              for (int j = 0; j < kD / 8; ++j)
                sample[j] += c.weight[k] * load8(src + 8 * j);
            }
#pragma GCC unroll 8
            for (int j = 0; j < kD / 8; ++j) lanes[j] += attn[i] * sample[j];
          } else {
            for (int k = 0; k < 4; ++k) {
              if (c.index[k] < 0) continue;
              const acc_t a = attn[i] * c.weight[k];
              const value_t *__restrict__ src = v_level + c.index[k] * M * D;
              for (int64_t d = 0; d < D; ++d)
                sum[d] += a * static_cast<acc_t>(src[d]);
            }
          }
        }
      }
      if constexpr (kD > 0) std::memcpy(sum, lanes, sizeof(lanes));
      value_t *__restrict__ row = out + (bq * M + m) * D;
      for (int64_t d = 0; d < D; ++d) row[d] = static_cast<value_t>(sum[d]);
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
          if (!pixel(pb.loc[2 * i], pb.loc[2 * i + 1], H, W, &h, &w))
            continue;
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

// The head widths of the shipped configurations (192 / 8, 96 / 4,
// 256 / 8) at compile time, then any.
template <typename value_t>
INLINE_INTO_CLONES void forward_range_any_width(
    const ForwardProblem<value_t, float> &pb, value_t *out, float *loc_out,
    float *attn_out, int64_t begin, int64_t end) {
  switch (pb.D) {
    case 24:
      forward_range<value_t, float, 24>(pb, out, loc_out, attn_out, begin,
                                        end);
      break;
    case 32:
      forward_range<value_t, float, 32>(pb, out, loc_out, attn_out, begin,
                                        end);
      break;
    default:
      forward_range<value_t, float, 0>(pb, out, loc_out, attn_out, begin,
                                       end);
  }
}

MULTIVERSIONED void forward_range_float(const ForwardProblem<float, float> &pb,
                                        float *out, float *loc_out,
                                        float *attn_out, int64_t begin,
                                        int64_t end) {
  forward_range_any_width(pb, out, loc_out, attn_out, begin, end);
}

MULTIVERSIONED void forward_range_bfloat16(
    const ForwardProblem<c10::BFloat16, float> &pb, c10::BFloat16 *out,
    float *loc_out, float *attn_out, int64_t begin, int64_t end) {
  forward_range_any_width(pb, out, loc_out, attn_out, begin, end);
}

MULTIVERSIONED void backward_range_float(const Problem<float> &pb,
                                         const float *g_out, float *g_v,
                                         float *g_loc, float *g_attn,
                                         int64_t begin, int64_t end) {
  backward_range(pb, g_out, g_v, g_loc, g_attn, begin, end);
}

template <typename value_t, typename acc_t>
void run_forward(const ForwardProblem<value_t, acc_t> &pb, value_t *out,
                 acc_t *loc_out, acc_t *attn_out) {
  at::parallel_for(0, pb.B * pb.Q, 64, [&](int64_t begin, int64_t end) {
    if constexpr (std::is_same_v<value_t, float>) {
      forward_range_float(pb, out, loc_out, attn_out, begin, end);
    } else if constexpr (std::is_same_v<value_t, c10::BFloat16>) {
      forward_range_bfloat16(pb, out, loc_out, attn_out, begin, end);
    } else {
      forward_range<value_t, acc_t, 0>(pb, out, loc_out, attn_out, begin,
                                       end);
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

void check_cpu_contiguous(std::initializer_list<const torch::Tensor *> tensors) {
  for (const auto *t : tensors) {
    TORCH_CHECK(t->device().is_cpu(), "ms_deform_attn_cpu: CPU tensors only");
    TORCH_CHECK(t->is_contiguous(),
                "ms_deform_attn_cpu: contiguous tensors only");
  }
}

void check_levels(const torch::Tensor &spatial_shapes,
                  const torch::Tensor &level_start_index) {
  TORCH_CHECK(spatial_shapes.scalar_type() == torch::kLong &&
                  level_start_index.scalar_type() == torch::kLong,
              "spatial_shapes and level_start_index must be int64");
}

}  // namespace

std::vector<torch::Tensor> ms_deform_attn_forward(
    const torch::Tensor &value, const torch::Tensor &spatial_shapes,
    const torch::Tensor &level_start_index,
    const torch::Tensor &reference_points,
    const torch::Tensor &sampling_offsets,
    const torch::Tensor &attention_logits, bool save_for_backward) {
  check_cpu_contiguous({&value, &spatial_shapes, &level_start_index,
                        &reference_points, &sampling_offsets,
                        &attention_logits});
  check_levels(spatial_shapes, level_start_index);
  TORCH_CHECK(value.dim() == 4, "value must be (B, S, M, D)");
  TORCH_CHECK(reference_points.dim() == 4,
              "reference_points must be (B, Q, L, 2)");
  TORCH_CHECK(sampling_offsets.dim() == 6,
              "sampling_offsets must be (B, Q, M, L, P, 2)");
  TORCH_CHECK(attention_logits.dim() == 4,
              "attention_logits must be (B, Q, M, L * P)");
  TORCH_CHECK(sampling_offsets.scalar_type() == value.scalar_type() &&
                  attention_logits.scalar_type() == value.scalar_type(),
              "value, sampling_offsets and attention_logits must share a "
              "dtype");
  const auto acc = value.scalar_type() == torch::kDouble ? torch::kDouble
                                                          : torch::kFloat;
  TORCH_CHECK(reference_points.scalar_type() == acc,
              "reference_points must be float64 for float64 values and "
              "float32 otherwise");
  const int64_t B = value.size(0), Q = sampling_offsets.size(1),
                M = value.size(2), L = sampling_offsets.size(3),
                P = sampling_offsets.size(4);
  // every row is written by forward_range
  auto output = torch::empty({B, Q, M, value.size(3)}, value.options());
  auto acc_options = reference_points.options();
  auto locations = save_for_backward
                       ? torch::empty({B, Q, M, L, P, 2}, acc_options)
                       : torch::empty({0}, acc_options);
  auto weights = save_for_backward ? torch::empty({B, Q, M, L, P}, acc_options)
                                   : torch::empty({0}, acc_options);
  AT_DISPATCH_FLOATING_TYPES_AND(
      at::ScalarType::BFloat16, value.scalar_type(), "ms_deform_attn_forward",
      [&] {
        using acc_t = std::conditional_t<std::is_same_v<scalar_t, double>,
                                         double, float>;
        const ForwardProblem<scalar_t, acc_t> pb{
            B, value.size(1), M, value.size(3), Q, L, P,
            spatial_shapes.data_ptr<int64_t>(),
            level_start_index.data_ptr<int64_t>(),
            value.data_ptr<scalar_t>(), reference_points.data_ptr<acc_t>(),
            sampling_offsets.data_ptr<scalar_t>(),
            attention_logits.data_ptr<scalar_t>()};
        run_forward(pb, output.data_ptr<scalar_t>(),
                    save_for_backward ? locations.data_ptr<acc_t>() : nullptr,
                    save_for_backward ? weights.data_ptr<acc_t>() : nullptr);
      });
  return {output, locations, weights};
}

std::vector<torch::Tensor> ms_deform_attn_backward(
    const torch::Tensor &value, const torch::Tensor &spatial_shapes,
    const torch::Tensor &level_start_index, const torch::Tensor &sampling_loc,
    const torch::Tensor &attn_weight, const torch::Tensor &grad_output) {
  check_cpu_contiguous({&value, &spatial_shapes, &level_start_index,
                        &sampling_loc, &attn_weight, &grad_output});
  check_levels(spatial_shapes, level_start_index);
  TORCH_CHECK(value.dim() == 4, "value must be (B, S, M, D)");
  TORCH_CHECK(sampling_loc.dim() == 6,
              "sampling_loc must be (B, Q, M, L, P, 2)");
  TORCH_CHECK(attn_weight.dim() == 5, "attn_weight must be (B, Q, M, L, P)");
  TORCH_CHECK(sampling_loc.scalar_type() == value.scalar_type() &&
                  attn_weight.scalar_type() == value.scalar_type() &&
                  grad_output.scalar_type() == value.scalar_type(),
              "value, sampling_loc, attn_weight and grad_output must share "
              "a dtype");
  auto grad_value = torch::zeros_like(value);
  auto grad_loc = torch::zeros_like(sampling_loc);
  auto grad_attn = torch::zeros_like(attn_weight);
  AT_DISPATCH_FLOATING_TYPES(value.scalar_type(), "ms_deform_attn_backward", [&] {
    const Problem<scalar_t> pb{value.size(0),
                               value.size(1),
                               value.size(2),
                               value.size(3),
                               sampling_loc.size(1),
                               sampling_loc.size(3),
                               sampling_loc.size(4),
                               spatial_shapes.data_ptr<int64_t>(),
                               level_start_index.data_ptr<int64_t>(),
                               value.data_ptr<scalar_t>(),
                               sampling_loc.data_ptr<scalar_t>(),
                               attn_weight.data_ptr<scalar_t>()};
    run_backward(pb, grad_output.data_ptr<scalar_t>(),
                 grad_value.data_ptr<scalar_t>(),
                 grad_loc.data_ptr<scalar_t>(),
                 grad_attn.data_ptr<scalar_t>());
  });
  return {grad_value, grad_loc, grad_attn};
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {
  m.def("ms_deform_attn_forward", &ms_deform_attn_forward,
        "Multi-scale deformable attention from the raw projections of the "
        "queries (softmax and sampling locations fused), forward (CPU)");
  m.def("ms_deform_attn_backward", &ms_deform_attn_backward,
        "Multi-scale deformable attention, backward (CPU)");
}
