"""The default plan's work (examples/qat.yaml) as the plain PyTorch script a user would write instead of QuantCluster.

Same LeNet, same shipped 8,000/2,000 digits: 12 FP32 epochs at batch 32 (Adam 0.003, cosine schedule, 1-pixel random
shift), PTQ with min/max observers on 1,000 calibration samples and per-channel weights, 2 QAT epochs at batch 64
(Adam 1e-4, observers frozen after epoch 1), convert to INT8 (onednn) and evaluate. bench/vs-pytorch.sh times it
against `quantcluster --plan examples/qat.yaml`.

Run with Debian's interpreter (python3-torch 1.13.1): /usr/bin/python3 bench/pytorch_qat_plan.py [--threads 2]
"""
import argparse
import copy
import math
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch.ao import quantization as tq

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_lenet import LeNet, read_idx  # noqa: E402  (the same LeNet the throughput bench uses)

SEED = 42
FP32_EPOCHS, FP32_BATCH, FP32_LR = 12, 32, 0.003
QAT_EPOCHS, QAT_BATCH, QAT_LR, FREEZE_OBSERVERS_AFTER = 2, 64, 1e-4, 1
CALIBRATION_SAMPLES, EVAL_BATCH = 1000, 500
FUSED = [["conv1", "relu1"], ["conv2", "relu2"], ["fc1", "relu3"]]


def shifted(images, generator):
    """Each image moved by -1, 0 or 1 pixel in x and y (zeros come in), like the plan's augment_shift: 1."""
    padded = F.pad(images, (1, 1, 1, 1))
    n, _, h, w = images.shape
    dy = torch.randint(0, 3, (n,), generator=generator)
    dx = torch.randint(0, 3, (n,), generator=generator)
    out = torch.empty_like(images)
    for oy in range(3):
        for ox in range(3):
            pick = (dy == oy) & (dx == ox)
            if pick.any():
                out[pick] = padded[pick, :, oy:oy + h, ox:ox + w]
    return out


def train(model, images, labels, epochs, batch, lr, generator, cosine, after_epoch=None):
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    steps = epochs * math.ceil(images.shape[0] / batch)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=steps) if cosine else None
    model.train()
    for e in range(epochs):
        order = torch.randperm(images.shape[0], generator=generator)
        for start in range(0, images.shape[0], batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(shifted(images[index], generator)), labels[index])
            loss.backward()
            optimizer.step()
            if schedule:
                schedule.step()
        if after_epoch:
            after_epoch(model, e + 1)


def accuracy(model, images, labels):
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, images.shape[0], EVAL_BATCH):
            correct += (model(images[start:start + EVAL_BATCH]).argmax(1) == labels[start:start + EVAL_BATCH]).sum().item()
    return correct / images.shape[0]


def ptq(fp32, calibration):
    model = tq.fuse_modules(copy.deepcopy(fp32).eval(), FUSED)
    model.qconfig = tq.QConfig(
        activation=tq.MinMaxObserver.with_args(dtype=torch.quint8),
        weight=tq.PerChannelMinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_channel_symmetric))
    tq.prepare(model, inplace=True)
    with torch.no_grad():
        for start in range(0, calibration.shape[0], EVAL_BATCH):
            model(calibration[start:start + EVAL_BATCH])
    return tq.convert(model)


def qat(fp32, images, labels, generator):
    model = tq.fuse_modules_qat(copy.deepcopy(fp32).train(), FUSED)
    model.qconfig = tq.get_default_qat_qconfig("onednn")
    tq.prepare_qat(model, inplace=True)

    def freeze(m, epoch):
        if epoch >= FREEZE_OBSERVERS_AFTER:
            m.apply(tq.disable_observer)

    train(model, images, labels, QAT_EPOCHS, QAT_BATCH, QAT_LR, generator, cosine=False, after_epoch=freeze)
    return tq.convert(model.eval())


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="data/mnist")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.backends.quantized.engine = "onednn"
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    load = lambda split, kind, dims: read_idx(os.path.join(args.data, f"{split}-{kind}-idx{dims}-ubyte.gz"), dims)
    train_images = load("train", "images", 3).unsqueeze(1).float().div_(255)
    train_labels = load("train", "labels", 1).long()
    test_images = load("t10k", "images", 3).unsqueeze(1).float().div_(255)
    test_labels = load("t10k", "labels", 1).long()

    clock = time.perf_counter()
    fp32 = LeNet()
    train(fp32, train_images, train_labels, FP32_EPOCHS, FP32_BATCH, FP32_LR, generator, cosine=True)
    fp32_seconds = time.perf_counter() - clock
    fp32_accuracy = accuracy(fp32, test_images, test_labels)

    clock = time.perf_counter()
    calibration = train_images[torch.randperm(train_images.shape[0], generator=generator)[:CALIBRATION_SAMPLES]]
    ptq_accuracy = accuracy(ptq(fp32, calibration), test_images, test_labels)
    ptq_seconds = time.perf_counter() - clock

    clock = time.perf_counter()
    qat_accuracy = accuracy(qat(fp32, train_images, train_labels, generator), test_images, test_labels)
    qat_seconds = time.perf_counter() - clock
    print(f"pytorch {torch.__version__}, {args.threads} threads: FP32 {fp32_accuracy:.2%} ({fp32_seconds:.1f} s), "
          f"PTQ {ptq_accuracy:.2%} ({ptq_seconds:.1f} s), QAT {qat_accuracy:.2%} ({qat_seconds:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
