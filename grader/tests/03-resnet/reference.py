"""Prints the ResNet-50 figures that bottleneck.spec.ts holds as constants, from torchvision's own model.

Run with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 grader/tests/03-resnet/reference.py
The specs keep the printed numbers as constants: an expected value computed with TensorFlow.js while a notebook is
graded could be bent by the notebook (SECURITY.md).
"""
import torch
from torchvision.models import resnet50
from torchvision.models.resnet import Bottleneck


def trainable(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def moving_statistics(module: torch.nn.Module) -> int:
    """Batch norm's running mean and variance: TF.js's countParams() counts them, torchvision's parameters() does not."""
    return sum(m.running_mean.numel() + m.running_var.numel() for m in module.modules() if isinstance(m, torch.nn.BatchNorm2d))


def main() -> None:
    full = resnet50(weights=None)
    print(f"RESNET50_1000 = {trainable(full)}")
    print(f"RESNET50_10 = {trainable(resnet50(weights=None, num_classes=10))}")
    print(f"RESNET50_MOVING_STATISTICS = {moving_statistics(full)}")
    print(f"BOTTLENECKS = {sum(isinstance(m, Bottleneck) for m in full.modules())}")
    print(f"CONVOLUTIONS = {sum(isinstance(m, torch.nn.Conv2d) for m in full.modules())}")
    # Blocks on their own: the first of stage 1 (64 → 4 · 64 channels, projected), an identity block of stage 1,
    # the first of stage 2 (256 → 4 · 128 channels, stride 2, projected).
    print(f"BOTTLENECK_FIRST = {trainable(full.layer1[0])}")
    print(f"BOTTLENECK_IDENTITY = {trainable(full.layer1[1])}")
    print(f"BOTTLENECK_STRIDE_2 = {trainable(full.layer2[0])}")
    print(f"BOTTLENECK_STRIDE_2_OUTPUT = {list(full.layer2[0](torch.zeros(1, 256, 56, 56)).shape)}")


if __name__ == "__main__":
    main()
