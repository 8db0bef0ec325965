"""PyTorch reference for bench/TrainingThroughput: the same LeNet, data, batch and optimizer, FP32 eager and eager-mode QAT.

Run with Debian's interpreter (python3-torch 1.13.1): /usr/bin/python3 bench/pytorch_lenet.py [--data DIR] [--epochs N]
Prints one line per mode: "<mode> samples/s <value> (...)", after one warm-up epoch, over --epochs timed epochs.
"""
import argparse
import gzip
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.ao import quantization as tq

BATCH = 64
LEARNING_RATE = 0.001
SEED = 1


def read_idx(path, dims):
    """An unsigned-byte IDX file (gzipped) as a uint8 tensor of its header's shape."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != 0x0800 | dims:
        raise ValueError(f"{path}: magic 0x{magic:08X}, expected 0x{0x0800 | dims:08X}")
    shape = struct.unpack(f">{dims}I", raw[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8, offset=4 + 4 * dims).reshape(shape)


class LeNet(nn.Module):
    """conv 1->8 3x3, relu, pool, conv 8->16 3x3, relu, pool, fc 400->64 relu, fc 64->10 (28 -> 26 -> 13 -> 11 -> 5)."""

    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.conv1 = nn.Conv2d(1, 8, 3)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.relu2 = nn.ReLU()
        self.fc1 = nn.Linear(400, 64)
        self.relu3 = nn.ReLU()
        self.fc2 = nn.Linear(64, 10)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = F.max_pool2d(self.relu1(self.conv1(x)), 2)
        x = F.max_pool2d(self.relu2(self.conv2(x)), 2)
        x = self.relu3(self.fc1(torch.flatten(x, 1)))
        return self.dequant(self.fc2(x))


def prepare_qat(model, engine):
    # Fused conv+relu / linear+relu, as our layers fake-quantize after the activation.
    model.train()
    model = tq.fuse_modules_qat(model, [["conv1", "relu1"], ["conv2", "relu2"], ["fc1", "relu3"]])
    model.qconfig = tq.get_default_qat_qconfig(engine)
    return tq.prepare_qat(model)


def epoch(model, optimizer, images, labels, generator):
    order = torch.randperm(images.shape[0], generator=generator)
    for start in range(0, images.shape[0], BATCH):
        index = order[start:start + BATCH]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images[index]), labels[index])
        loss.backward()
        optimizer.step()


def measure(name, model, images, labels, epochs):
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    generator = torch.Generator().manual_seed(SEED)
    model.train()
    epoch(model, optimizer, images, labels, generator)  # warm-up
    start = time.perf_counter()
    for _ in range(epochs):
        epoch(model, optimizer, images, labels, generator)
    seconds = time.perf_counter() - start
    samples = epochs * images.shape[0]
    print(f"{name} samples/s {samples / seconds:.0f} ({samples} samples in {seconds:.2f} s)", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="data/mnist")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--engine", default="onednn", choices=["onednn", "qnnpack"],
                        help="QAT qconfig: onednn gives per-channel weights like ours, qnnpack per-tensor")
    parser.add_argument("--mode", default="both", choices=["fp32", "qat", "both"])
    args = parser.parse_args()

    torch.set_num_threads(1)
    torch.backends.quantized.engine = args.engine
    images = read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz"), 3).unsqueeze(1).float().div_(255)
    labels = read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz"), 1).long()
    print(f"# PyTorch {torch.__version__}, LeNet, {images.shape[0]} training digits, batch {BATCH}, Adam lr {LEARNING_RATE}, "
          f"torch threads {torch.get_num_threads()}, QAT qconfig {args.engine}, 1 warm-up + {args.epochs} timed epochs")
    if args.mode in ("fp32", "both"):
        torch.manual_seed(SEED)
        measure("fp32", LeNet(), images, labels, args.epochs)
    if args.mode in ("qat", "both"):
        torch.manual_seed(SEED)
        measure("qat", prepare_qat(LeNet(), args.engine), images, labels, args.epochs)


if __name__ == "__main__":
    main()
