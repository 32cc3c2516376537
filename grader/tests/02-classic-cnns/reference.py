"""Prints the GoogLeNet figures that googlenet.spec.ts holds as constants, from torchvision's own model.

Run with Debian's Python (torch 1.13, torchvision 0.14): /usr/bin/python3 grader/tests/02-classic-cnns/reference.py
The specs keep the printed numbers as constants: an expected value computed with TensorFlow.js while a notebook is
graded could be bent by the notebook (SECURITY.md).
"""
import torch
from torchvision.models import googlenet
from torchvision.models.googlenet import Inception


def trainable(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def main() -> None:
    full = googlenet(weights=None, aux_logits=False, init_weights=False)
    print(f"GOOGLENET_1000 = {trainable(full)}")
    print(f"GOOGLENET_10 = {trainable(googlenet(weights=None, aux_logits=False, init_weights=False, num_classes=10))}")
    # Inception (3a) on 192 channels: 64 | 96→128 | 16→32 | pool→32, each convolution bias-free with batch norm.
    print(f"INCEPTION_3A = {trainable(Inception(192, 64, 96, 128, 16, 32, 32))}")
    print(f"INCEPTION_3A_OUTPUT = {list(full.inception3a(torch.zeros(1, 192, 28, 28)).shape)}")
    # The same block's 3×3 and "5×5" branches without their 1×1 reductions: each a bias-free conv + batch norm on 192 channels.
    def conv_bn(cin: int, cout: int, k: int) -> int:
        return cin * cout * k * k + 2 * cout
    print(f"INCEPTION_3A_WITHOUT_REDUCTIONS = {conv_bn(192, 64, 1) + conv_bn(192, 128, 3) + conv_bn(192, 32, 3) + conv_bn(192, 32, 1)}")
    print(f"GOOGLENET_OUTPUT = {list(full.eval()(torch.zeros(1, 3, 224, 224)).shape)}")
    print(f"INCEPTION_BLOCKS = {sum(isinstance(m, Inception) for m in full.modules())}")
    print(f"CONVOLUTIONS = {sum(isinstance(m, torch.nn.Conv2d) for m in full.modules())}")
    print(f"BATCH_NORM_EPS = {full.conv1.bn.eps}")


if __name__ == "__main__":
    main()
