# Copyright (c) mmocr-wecromcl contributors. All rights reserved.
import torch
import torch.nn as nn

from mmocr_wecromcl.apis import recenter_points, refine_points
from ..test_models._point_samples import point_sample as make_sample
from ..test_models._srsts_a_utils import build_spotter


def test_recenter_maps_character_centers_to_original_pixels():
    """``recenter_points`` reads at the given points and returns the
    characters' centre in original pixels: cells of stride 8, resize by
    (2, 0.5)."""
    model = build_spotter()
    model.eval()
    seen = []

    def centers(feats, anchors):
        seen.extend(a.tolist() for a in anchors)
        return torch.tensor([[3.0, 2.0], [0.5, 0.5], [6.25, 1.0]])

    model.recog_head.character_centers = centers
    samples = [
        make_sample([[20., 12.], [3., 3.]], ['ab', 'cd'],
                    scale_factor=(2., 0.5)),
        make_sample([[50., 9.]], ['ef'])
    ]
    with torch.no_grad():
        out = recenter_points(model, torch.zeros(2, 3, 64, 96), samples)
    # points -> cells floor(p / 8)
    assert seen == [[[2, 1], [0, 0]], [[6, 1]]]
    torch.testing.assert_close(out[0], torch.tensor([[12., 32.], [2., 8.]]))
    torch.testing.assert_close(out[1], torch.tensor([[50., 8.]]))


def distance_reading_spotter(targets):
    """A spotter in eval mode with the same anchor NLL at every cell, whose
    CTC loss of a word at a cell is the L1 distance in cells to
    ``targets[word]``."""
    model = build_spotter()
    model.eval()
    nn.init.zeros_(model.anchor_head.conv.weight)
    nn.init.zeros_(model.anchor_head.conv.bias)

    def word_losses(feats, anchors, words):
        cells = torch.cat([a.view(-1, 2) for a in anchors]).float()
        goal = torch.tensor([targets[w] for w in words], dtype=torch.float)
        return (cells - goal).abs().sum(-1)

    model.recog_head.word_losses = word_losses
    return model


def test_refine_moves_points_to_least_cost_cell_in_window():
    """``refine_points`` picks, within the window around each point's cell,
    the cell of least anchor-NLL + CTC cost; the window is clamped to the
    map, a word with nothing to read keeps its point, and cells map back to
    original pixels through the resize (stride 8, scale (2, 0.5))."""
    model = distance_reading_spotter(dict(ab=(4, 1), cd=(5, 5), ef=(6, 3)))
    samples = [
        make_sample([[20., 12.], [3., 3.]], ['ab', 'cd'],
                    scale_factor=(2., 0.5)),
        make_sample([[50., 9.], [13., 17.]], ['ef', '###'])
    ]
    with torch.no_grad():
        out = refine_points(
            model, torch.zeros(2, 3, 64, 96), samples, radius=2)
    # 'ab': cell (2, 1) -> (4, 1); 'cd': cell (0, 0), window clamped to
    # [0, 2]^2 -> (2, 2), its goal (5, 5) still 6 cells away; 'ef': (6, 1)
    # -> (6, 3); '###' keeps its point and has no loss.
    (points0, losses0), (points1, losses1) = out
    torch.testing.assert_close(points0, torch.tensor([[18., 24.], [10., 40.]]))
    torch.testing.assert_close(points1, torch.tensor([[52., 28.], [13., 17.]]))
    torch.testing.assert_close(losses0, torch.tensor([0., 6.]))
    torch.testing.assert_close(losses1, torch.tensor([0., 0.]))


def test_refine_searches_the_whole_map_for_words_unreadable_nearby():
    """With ``max_word_loss``, a word whose best cell in the window costs
    more than it (a point on another word) moves to its best cell in the
    whole map if it reads well there, else it keeps its window cell; a word
    read well in its window stays there."""
    model = distance_reading_spotter(dict(ab=(4, 1), cd=(9, 6), ef=(30, 2)))
    samples = [
        make_sample([[20., 12.], [3., 3.], [40., 20.]], ['ab', 'cd', 'ef'],
                    scale_factor=(2., 0.5))
    ]

    def search(**kwargs):
        return refine_points(
            model, torch.zeros(1, 3, 64, 96), samples, radius=2, **kwargs)

    with torch.no_grad():
        window_only = search()
        searched = search(max_word_loss=1.0)
    # 'cd' from cell (0, 0): (2, 2) in the window, 11 cells from its goal;
    # (9, 6) in the 12 x 8 map, i.e. ((9.5 * 8) / 2, (6.5 * 8) / 0.5).
    # 'ef' from cell (5, 2): (7, 2) in the window (23 from its goal off the
    # map), (11, 2) in the map (19, still above 1): it stays at (7, 2).
    torch.testing.assert_close(window_only[0][1], torch.tensor([0., 11., 23.]))
    torch.testing.assert_close(
        searched[0][0], torch.tensor([[18., 24.], [38., 104.], [30., 40.]]))
    torch.testing.assert_close(searched[0][1], torch.tensor([0., 0., 23.]))
    # the same under bfloat16 autocast (the labelling tools' --amp)
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        searched_bf16 = search(max_word_loss=1.0)
    torch.testing.assert_close(searched_bf16[0][0], searched[0][0])


def test_refine_follows_the_anchor_confidence_when_reading_is_even():
    """With the same CTC cost everywhere, the most confident anchor cell in
    the window wins; one outside the window does not."""
    model = build_spotter()
    model.eval()
    model.recog_head.word_losses = lambda feats, anchors, words: torch.zeros(
        sum(len(a) for a in anchors))
    logits = torch.zeros(1, 8, 12)
    logits[0, 3, 5] = 4.0  # inside the radius-1 window of cell (4, 2)
    logits[0, 2, 7] = 9.0  # outside it
    model.anchor_head.forward = lambda feats: logits
    with torch.no_grad():
        out = refine_points(
            model,
            torch.zeros(1, 3, 64, 96), [make_sample([[35., 20.]], ['ab'])],
            radius=1)
    torch.testing.assert_close(out[0][0], torch.tensor([[44., 28.]]))
