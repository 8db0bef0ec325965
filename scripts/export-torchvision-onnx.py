#!/usr/bin/python3
"""Exports small, seeded, randomly initialised torchvision CNNs to ONNX: the import tests' fixtures.

Each model is torchvision's own class and forward (ResNet with BasicBlock narrowed to a few channels, MobileNetV2 at
width 0.25, MobileNetV3-Small at width 0.25 with the reduced tail), with BatchNorm's affine parameters drawn at random
and its running statistics set by forward passes in train mode on random data, so that a BatchNorm folded by the
export changes the weights for real. One extra network (`branchy`) holds the ops torchvision's classifiers do not
write: Concat, AveragePool, ReduceMean, MatMul, Sigmoid, and the Shape -> Gather -> Unsqueeze -> Concat -> Reshape
chain of x.view(x.size(0), -1).

Usage: /usr/bin/python3 scripts/export-torchvision-onnx.py OUT_DIR            (the shipped fixtures)
       /usr/bin/python3 scripts/export-torchvision-onnx.py --resnet18 FILE    (full ResNet-18 at 3x224x224, ~45 MB)
Run with Debian's python3-torch 1.13.1, python3-torchvision 0.14.1 and python3-onnx 1.12.
"""
import argparse
import os

import onnx
import torch
import torch.nn as nn
import torchvision
from torchvision.models.resnet import BasicBlock, ResNet

SEED = 20261101


def narrow_resnet(in_channels, widths=(8, 16, 32, 64), num_classes=10):
    """torchvision's ResNet (BasicBlock, one block per stage) with narrower stages: its own _make_layer and forward."""
    model = ResNet(BasicBlock, [1, 1, 1, 1], num_classes=num_classes)
    model.inplanes = widths[0]
    model.conv1 = nn.Conv2d(in_channels, widths[0], kernel_size=7, stride=2, padding=3, bias=False)
    model.bn1 = nn.BatchNorm2d(widths[0])
    model.layer1 = model._make_layer(BasicBlock, widths[0], 1)
    model.layer2 = model._make_layer(BasicBlock, widths[1], 1, stride=2)
    model.layer3 = model._make_layer(BasicBlock, widths[2], 1, stride=2)
    model.layer4 = model._make_layer(BasicBlock, widths[3], 1, stride=2)
    model.fc = nn.Linear(widths[3], num_classes)
    return model


def first_conv_takes(model, conv_path, in_channels):
    """Replaces the stem convolution so the network takes in_channels (1 for MNIST digits)."""
    parent = model
    *path, last = conv_path
    for part in path:
        parent = parent[part] if isinstance(part, int) else getattr(parent, part)
    old = parent[last]
    parent[last] = nn.Conv2d(in_channels, old.out_channels, old.kernel_size, old.stride, old.padding, bias=old.bias is not None)
    return model


def mobilenet_v2(in_channels):
    model = torchvision.models.mobilenet_v2(width_mult=0.25, num_classes=10)
    return first_conv_takes(model, ["features", 0, 0], in_channels)


def mobilenet_v3_small(in_channels):
    model = torchvision.models.mobilenet_v3_small(width_mult=0.25, reduced_tail=True, num_classes=10)
    return first_conv_takes(model, ["features", 0, 0], in_channels)


class Branchy(nn.Module):
    """Two branches joined by Concat, the pools and reductions the classifiers above do not use, a MatMul head."""

    def __init__(self, in_channels):
        # 28x28 input: 14x14 after the average pool, 7x7 after the max pool (ceil mode).
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU())
        self.left = nn.Sequential(nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2), nn.Sigmoid())
        self.right = nn.Sequential(nn.Conv2d(8, 4, 1, stride=1), nn.Hardswish())
        self.pool = nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False)
        self.max = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.gate = nn.Sequential(nn.Conv2d(12, 12, 1), nn.Hardsigmoid())
        self.dropout = nn.Dropout(0.2)
        self.head = nn.Parameter(torch.randn(12 * 7 * 7, 10) * 0.05)

    def forward(self, x):
        x = self.stem(x)
        x = torch.cat([self.left(x), self.right(x)], dim=1)
        x = self.max(self.pool(x))
        x = x * self.gate(x.mean(dim=[2, 3], keepdim=True))
        x = self.dropout(x.view(x.size(0), -1))
        return torch.clamp(x @ self.head, -20.0, 20.0)


def randomise_batchnorm(model, in_channels, size, generator):
    """Random gamma and beta, then running statistics from a few train-mode passes on random data."""
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5, generator=generator)
                module.bias.normal_(0.0, 0.2, generator=generator)
                module.momentum = None  # cumulative average over the passes below
        model.train()
        for _ in range(4):
            model(torch.rand(32, in_channels, size, size, generator=generator) * 2 - 0.5)
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.momentum = 0.1  # torch's default again, which a BatchNormalization node states as ONNX momentum 0.9
    model.eval()
    return model


def write_inference_batchnorm(train_path, path):
    """The same graph with each BatchNormalization cut to its first output: the inference form, which normalises with
    the running statistics. The train-mode export also writes the running and batch statistics as outputs, which
    makes ONNX Runtime normalise with the batch's."""
    model = onnx.load(train_path)
    for node in model.graph.node:
        if node.op_type == "BatchNormalization":
            del node.output[1:]
    onnx.checker.check_model(model)
    onnx.save(model, path)
    print(f"{os.path.basename(path)}: {os.path.getsize(path):,} bytes, BatchNormalization in inference form")


def export(model, in_channels, size, path, opset, keep_batchnorm=False):
    sample = torch.rand(2, in_channels, size, size)
    kwargs = {}
    if keep_batchnorm:
        # TrainingMode.TRAINING keeps BatchNormalization nodes (an eval export folds them into the convolutions).
        kwargs = {"training": torch.onnx.TrainingMode.TRAINING, "do_constant_folding": False}
    torch.onnx.export(model, sample, path, opset_version=opset, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, **kwargs)
    model.eval()
    if keep_batchnorm:
        write_inference_batchnorm(path, path.replace("-train.onnx", ".onnx"))
    onnx.checker.check_model(onnx.load(path))
    ops = sorted({n.op_type for n in onnx.load(path).graph.node})
    print(f"{os.path.basename(path)}: {os.path.getsize(path):,} bytes, opset {opset}, ops {' '.join(ops)}")


BUILDERS = {
    "resnet": narrow_resnet,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v3_small": mobilenet_v3_small,
    "branchy": Branchy,
}

# (model, input channels, input size, opset, keep BatchNorm)
FIXTURES = [
    ("resnet", 1, 28, 13, False),
    ("resnet", 3, 32, 13, False),
    ("mobilenet_v2", 1, 28, 13, False),
    ("mobilenet_v2", 3, 32, 13, False),
    ("mobilenet_v3_small", 1, 28, 13, False),
    ("mobilenet_v3_small", 3, 32, 13, False),
    ("resnet", 3, 32, 13, True),
    ("mobilenet_v2", 3, 32, 11, False),
    ("mobilenet_v3_small", 3, 32, 17, False),
    ("branchy", 1, 28, 13, False),
]


def fixture_name(name, channels, size, opset, keep_batchnorm):
    return f"{name}-{channels}x{size}x{size}-opset{opset}{'-bn-train' if keep_batchnorm else ''}.onnx"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out", help="output folder, or the output file with --resnet18")
    parser.add_argument("--resnet18", action="store_true", help="export torchvision's resnet18 at 3x224x224 instead")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.resnet18:
        torch.manual_seed(SEED)
        model = randomise_batchnorm(torchvision.models.resnet18(num_classes=1000), 3, 224, torch.Generator().manual_seed(SEED))
        export(model, 3, 224, args.out, 13)
        return
    os.makedirs(args.out, exist_ok=True)
    for index, (name, channels, size, opset, keep_batchnorm) in enumerate(FIXTURES):
        torch.manual_seed(SEED + index)
        generator = torch.Generator().manual_seed(SEED + index)
        model = randomise_batchnorm(BUILDERS[name](channels), channels, size, generator)
        export(model, channels, size, os.path.join(args.out, fixture_name(name, channels, size, opset, keep_batchnorm)), opset, keep_batchnorm)


if __name__ == "__main__":
    main()
