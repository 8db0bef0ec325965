#!/usr/bin/env python3
"""Cut the shipped Fashion-MNIST subset (data/fashion-mnist) out of Debian's dataset-fashion-mnist.

Usage:
    scripts/make-fashion-mnist-subset.py [--source DIR] [--out DIR]

SOURCE defaults to /usr/share/datasets/fashion-mnist (`apt-get install dataset-fashion-mnist`), OUT to
data/fashion-mnist next to this script's repository root. The subset is simply the first 8,000 images of the
training split and the first 2,000 of the test split, in their original order (no sampling, so nothing to seed);
Fashion-MNIST's splits are shuffled already, and the script prints the per-class counts that result.

The output is byte-reproducible: the gzip headers carry mtime 0 and no file name. The source files are checked
against the SHA-256 sums of Debian's package 0.0~git20200523.55506a9-1, so a different source is refused.
Standard library only.
"""

import argparse
import gzip
import hashlib
import os
import struct
import sys

SOURCE_SHA256 = {
    "train-images-idx3-ubyte.gz": "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz": "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz": "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz": "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
COUNTS = {"train": 8000, "t10k": 2000}
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_source(folder, name):
    path = os.path.join(folder, name)
    with open(path, "rb") as f:
        packed = f.read()
    digest = hashlib.sha256(packed).hexdigest()
    if digest != SOURCE_SHA256[name]:
        sys.exit(f"{path}: SHA-256 {digest} is not Debian's dataset-fashion-mnist ({SOURCE_SHA256[name]})")
    return gzip.decompress(packed)


def write_gzip(path, content):
    # mtime 0 and no file name in the header: the same bytes on every run.
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(content)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=os.path.join(root, "data", "fashion-mnist"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)

    for split, count in COUNTS.items():
        images = read_source(args.source, f"{split}-images-idx3-ubyte.gz")
        labels = read_source(args.source, f"{split}-labels-idx1-ubyte.gz")
        magic, n, rows, cols = struct.unpack(">IIII", images[:16])
        assert magic == 0x803 and rows == 28 and cols == 28 and n >= count, (magic, n, rows, cols)
        magic, m = struct.unpack(">II", labels[:8])
        assert magic == 0x801 and m == n, (magic, m)
        kept_labels = labels[8:8 + count]
        write_gzip(os.path.join(args.out, f"{split}-images-idx3-ubyte.gz"),
                   struct.pack(">IIII", 0x803, count, 28, 28) + images[16:16 + count * 784])
        write_gzip(os.path.join(args.out, f"{split}-labels-idx1-ubyte.gz"), struct.pack(">II", 0x801, count) + kept_labels)
        per_class = [kept_labels.count(c) for c in range(10)]
        print(f"{split}: {count} images, per class {per_class}")

    for name in sorted(os.listdir(args.out)):
        if name.endswith(".gz"):
            with open(os.path.join(args.out, name), "rb") as f:
                print(f"{hashlib.sha256(f.read()).hexdigest()}  {name}")


if __name__ == "__main__":
    main()
