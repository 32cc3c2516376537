#!/usr/bin/python3
"""Prints the constants that the hidden specs of 10-two-stage-and-detr embed, from the reference libraries.

Run with Debian's torch 1.13 / torchvision 0.14 / scipy: /usr/bin/python3 grader/tests/10-two-stage-and-detr/reference.py
The inputs are built from formulas that the specs repeat in plain JS (feature maps, the Park-Miller generator), so only
the expected values travel from here into the specs, never from a solution.
"""
import json

import torch
import torch.nn.functional as F
from scipy.optimize import linear_sum_assignment
from torchvision.models.detection._utils import BoxCoder, Matcher
from torchvision.models.detection.anchor_utils import AnchorGenerator
from torchvision.models.detection.image_list import ImageList
from torchvision.ops import box_convert, box_iou, generalized_box_iou, roi_align
from torchvision.ops.poolers import LevelMapper

torch.set_default_dtype(torch.float64)


def rounded(values, places=6):
    if isinstance(values, torch.Tensor):
        values = values.tolist()
    if isinstance(values, list):
        return [rounded(v, places) for v in values]
    return round(float(values), places)


def feature_map(channels, height, width):
    """f[c][y][x] = ((7c + 5y + 3x) mod 11) / 10 + c / 4, as featureMap() in roi-align.spec.ts."""
    return torch.tensor([[[((7 * c + 5 * y + 3 * x) % 11) / 10 + c / 4 for x in range(width)] for y in range(height)]
                         for c in range(channels)])


def park_miller_matrix(seed, rows, cols):
    """Costs in (0, 1) from the Park-Miller generator, row by row, as parkMillerMatrix() in hungarian.spec.ts."""
    state, matrix = seed, []
    for _ in range(rows):
        row = []
        for _ in range(cols):
            state = state * 48271 % 2147483647
            row.append(state / 2147483647)
        matrix.append(row)
    return matrix


def roi_align_cases():
    features = feature_map(2, 6, 7)[None]
    inner = [0.6, 0.4, 6.3, 5.1]
    cases = [
        ('inner', [inner], 1.0, (2, 2), -1, False),
        ('inner', [inner], 1.0, (2, 2), 2, False),
        ('inner', [inner], 1.0, (2, 2), -1, True),
        ('inner', [inner], 1.0, (2, 2), 2, True),
        ('off-map', [[-2.5, -1.5, 3.0, 2.5], [4.5, 3.0, 9.0, 8.0]], 1.0, (3, 3), 2, True),
        ('off-map', [[-2.5, -1.5, 3.0, 2.5], [4.5, 3.0, 9.0, 8.0]], 1.0, (3, 3), -1, False),
        ('scale-1/16', [[16.0, 8.0, 88.0, 72.0]], 1 / 16, (2, 3), -1, False),
        ('scale-1/16', [[16.0, 8.0, 88.0, 72.0]], 1 / 16, (2, 3), 2, True),
        ('tiny', [[2.2, 2.2, 2.4, 2.6]], 1.0, (2, 2), -1, False),
    ]
    out = []
    for name, boxes, scale, size, ratio, aligned in cases:
        values = roi_align(features, [torch.tensor(boxes)], output_size=size, spatial_scale=scale,
                           sampling_ratio=ratio, aligned=aligned)
        out.append({'name': name, 'boxes': boxes, 'spatialScale': scale, 'outputSize': list(size),
                    'samplingRatio': ratio, 'aligned': aligned, 'expected': rounded(values)})
    return out


def box_coding():
    anchors = torch.tensor([[0.0, 0.0, 16.0, 16.0], [10.0, 20.0, 50.0, 40.0], [5.5, 3.0, 12.5, 30.0]])
    truths = torch.tensor([[2.0, 1.0, 18.0, 20.0], [0.0, 15.0, 60.0, 45.0], [4.0, 4.0, 10.0, 28.0]])
    deltas = torch.tensor([[0.1, -0.2, 0.3, -0.1], [-0.5, 0.25, 0.0, 0.7], [0.0, 0.0, 10.0, -1.0]])
    out = {'anchors': anchors.tolist(), 'truths': truths.tolist(), 'deltas': deltas.tolist()}
    for name, weights in (('rpn', (1.0, 1.0, 1.0, 1.0)), ('roiHeads', (10.0, 10.0, 5.0, 5.0))):
        coder = BoxCoder(weights)
        out[name] = {'encoded': rounded(coder.encode_single(truths, anchors)),
                     'decoded': rounded(coder.decode_single(deltas, anchors))}
    return out


def anchors():
    out = []
    for sizes, ratios, image, grid in (((32, 64), (0.5, 1.0, 2.0), (48, 64), (3, 4)), ((24,), (0.5, 2.0), (40, 40), (5, 5))):
        generator = AnchorGenerator(sizes=(sizes,), aspect_ratios=(ratios,))
        images = ImageList(torch.zeros(1, 3, *image), [image])
        [grid_anchors] = generator(images, [torch.zeros(1, 1, *grid)])
        out.append({'sizes': list(sizes), 'aspectRatios': list(ratios), 'imageSize': list(image), 'featureSize': list(grid),
                    'anchors': rounded(grid_anchors)})
    return out


def anchor_matching():
    anchor_boxes = torch.tensor([[0, 0, 10, 10], [1, 1, 11, 11], [5, 5, 15, 15], [20, 20, 30, 30], [40, 0, 44, 4],
                                 [0, 30, 10, 40], [22, 18, 32, 28], [60, 60, 70, 70]], dtype=torch.float64)
    truths = torch.tensor([[0, 0, 10, 10], [21, 21, 31, 31], [40, 0, 52, 12]], dtype=torch.float64)
    matcher = Matcher(0.7, 0.3, allow_low_quality_matches=True)
    return {'anchors': anchor_boxes.tolist(), 'truths': truths.tolist(), 'matches': matcher(box_iou(truths, anchor_boxes)).tolist()}


def fpn_levels():
    boxes = torch.tensor([[0, 0, 224, 224], [0, 0, 112, 112], [0, 0, 111, 112], [0, 0, 448, 448], [0, 0, 10, 20],
                          [0, 0, 2000, 1000], [10, 10, 90, 170], [0, 0, 300, 100]], dtype=torch.float64)
    return {'boxes': boxes.tolist(), 'levels': (LevelMapper(2, 5)([boxes]) + 2).tolist()}


def giou_cases():
    pairs = [([0, 0, 4, 3], [2, 1, 7, 6]), ([0.1, 0.1, 0.3, 0.2], [0.5, 0.4, 0.9, 0.8]), ([0, 0, 10, 10], [2, 3, 6, 8])]
    return [{'a': a, 'b': b, 'giou': rounded(generalized_box_iou(torch.tensor([a]), torch.tensor([b]))[0, 0], 9)} for a, b in pairs]


def hungarian():
    out = []
    for seed, rows, cols in ((7, 6, 6), (11, 5, 9), (2024, 40, 60)):
        cost = park_miller_matrix(seed, rows, cols)
        row_ind, col_ind = linear_sum_assignment(cost)
        out.append({'seed': seed, 'rows': rows, 'cols': cols, 'columns': col_ind.tolist(),
                    'total': round(sum(cost[r][c] for r, c in zip(row_ind, col_ind)), 12)})
    return out


def detr():
    """DETR's matcher and set loss (class weight 1, L1 weight 5, GIoU weight 2, no-object weight 0.1), written with torch."""
    logits = torch.tensor([[2.0, 0.1, -1.0], [0.2, 1.5, 0.3], [-0.5, -0.3, 2.5], [1.0, 1.2, 0.0], [0.0, 0.3, 1.8]])
    boxes = torch.tensor([[0.30, 0.30, 0.20, 0.25], [0.70, 0.60, 0.30, 0.30], [0.50, 0.50, 0.90, 0.90],
                          [0.68, 0.62, 0.25, 0.35], [0.28, 0.35, 0.22, 0.20]])
    target_classes = torch.tensor([1, 0])
    target_boxes = torch.tensor([[0.70, 0.60, 0.28, 0.32], [0.30, 0.32, 0.20, 0.22]])
    probabilities = logits.softmax(-1)
    xyxy = lambda b: box_convert(b, 'cxcywh', 'xyxy')
    cost = (5 * torch.cdist(boxes, target_boxes, p=1) - probabilities[:, target_classes]
            - 2 * generalized_box_iou(xyxy(boxes), xyxy(target_boxes)))
    queries, targets = linear_sum_assignment(cost.numpy())
    classes = torch.full((len(logits),), logits.shape[1] - 1)
    classes[queries] = target_classes[targets]
    class_weights = torch.ones(logits.shape[1])
    class_weights[-1] = 0.1
    classification = F.cross_entropy(logits, classes, class_weights)
    matched, truth = boxes[queries], target_boxes[targets]
    l1 = (matched - truth).abs().sum() / len(target_boxes)
    giou = (1 - torch.diag(generalized_box_iou(xyxy(matched), xyxy(truth)))).sum() / len(target_boxes)
    return {'logits': logits.tolist(), 'boxes': boxes.tolist(), 'targetClasses': target_classes.tolist(),
            'targetBoxes': target_boxes.tolist(), 'cost': rounded(cost),
            'pairs': [[int(q), int(t)] for q, t in zip(queries, targets)],
            'loss': {'classification': rounded(classification), 'l1': rounded(l1), 'giou': rounded(giou),
                     'total': rounded(classification + 5 * l1 + 2 * giou)}}


print(json.dumps({'roiAlign': roi_align_cases(), 'boxCoding': box_coding(), 'anchors': anchors(),
                  'anchorMatching': anchor_matching(), 'fpnLevels': fpn_levels(), 'giou': giou_cases(), 'hungarian': hungarian(),
                  'detr': detr()}, indent=1))
