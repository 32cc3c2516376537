"""Reference parameter counts for the 09-vision-transformer hidden tests, from PyTorch itself.

Run with Debian's torch 1.13 / torchvision 0.14:  /usr/bin/python3 grader/tests/09-vision-transformer/reference.py
The specs embed the printed numbers as constants (the grader has no Python, and expected values never come from
TensorFlow.js). Nothing is downloaded: models are built with random weights.
"""
import torch
from torchvision.models.vision_transformer import VisionTransformer, vit_b_16


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


print("nn.MultiheadAttention(d, heads) parameters, by d:")
for dim, heads in [(8, 2), (64, 4), (192, 3), (768, 12)]:
    print(f"  {dim}: {count(torch.nn.MultiheadAttention(dim, heads))}")

print(f"vit_b_16(): {count(vit_b_16())}")

# Small configurations: (image size, patch size, layers, heads, hidden dim, MLP dim, classes); torchvision's
# VisionTransformer takes 3-channel images.
SMALL = [(28, 7, 2, 2, 32, 64, 10), (32, 8, 3, 4, 48, 96, 5), (224, 16, 1, 2, 16, 32, 1000)]
for image, patch, layers, heads, hidden, mlp, classes in SMALL:
    model = VisionTransformer(image, patch, layers, heads, hidden, mlp, num_classes=classes)
    print(f"VisionTransformer{(image, patch, layers, heads, hidden, mlp, classes)}: {count(model)}")
