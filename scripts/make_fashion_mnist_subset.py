"""Writes the small class-balanced Fashion-MNIST subset shipped in datasets/fashion-mnist/.

Usage: /usr/bin/python3 scripts/make_fashion_mnist_subset.py [--source DIR] [--out DIR]
       [--train-per-class N] [--test-per-class N]

Selection (deterministic, no randomness): walk each split of the original files in file order and keep an
image when fewer than N images of its class were kept so far; the kept images stay in file order. With the
defaults this is the first 500 images of each class from the training file (5,000) and the first 100 of
each class from the test file (1,000). Talk.Kit.Data.LabelledImages.Balanced(N) applies the same rule, so
Balanced(500) of the full training split equals the shipped training subset image for image.

Output: the four IDX file names of the original, gzip-compressed with mtime 0 and no file name in the
header, so the same zlib writes the same bytes. Prints the SHA-256 of each source file, each written file
and each written file's decompressed content (the content checksum does not depend on the zlib version).

Source: the Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), which packages
github.com/zalandoresearch/fashion-mnist (MIT licence). Standard library only.
"""
import argparse
import gzip
import hashlib
import io
import os
import struct
import sys

SPLITS = {"train": "train", "test": "t10k"}
CLASSES = 10
IMAGE_MAGIC, LABEL_MAGIC = 0x00000803, 0x00000801  # 00 00, type 08 (unsigned byte), 3 or 1 dimensions


def read_idx(path, magic):
    """Returns (dimensions, data bytes) of a gzip or raw IDX file, checking magic and length."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":  # gzip magic, whatever the file is called
        raw = gzip.decompress(raw)
    found, = struct.unpack(">I", raw[:4])
    if found != magic:
        sys.exit(f"{path}: IDX magic {found:#010x}, expected {magic:#010x}")
    ndim = magic & 0xFF
    dims = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    data = raw[4 + 4 * ndim:]
    expected = 1
    for d in dims:
        expected *= d
    if len(data) != expected:
        sys.exit(f"{path}: header declares {expected} data bytes, found {len(data)}")
    return dims, data


def idx_bytes(magic, dims, data):
    """Big-endian IDX: magic, one int32 per dimension, then the data."""
    return struct.pack(f">I{len(dims)}I", magic, *dims) + data


def write_gzip(path, payload):
    """Deterministic gzip: mtime 0, no stored file name, level 9."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def find(source, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(source, name)
        if os.path.exists(path):
            return path
    sys.exit(f"{source}: {stem}.gz not found (install the Debian package dataset-fashion-mnist)")


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def make_split(source, out, prefix, per_class):
    images_path = find(source, f"{prefix}-images-idx3-ubyte")
    labels_path = find(source, f"{prefix}-labels-idx1-ubyte")
    (count, rows, cols), pixels = read_idx(images_path, IMAGE_MAGIC)
    (label_count,), labels = read_idx(labels_path, LABEL_MAGIC)
    if count != label_count:
        sys.exit(f"{images_path} holds {count} images but {labels_path} holds {label_count} labels")
    for path in (images_path, labels_path):
        with open(path, "rb") as f:
            print(f"source  {sha256(f.read())}  {path}")

    kept, taken = [], [0] * CLASSES
    for i, label in enumerate(labels):  # file order: the first per_class of each class
        if label >= CLASSES:
            sys.exit(f"{labels_path}: label {label} at index {i} is out of range 0-{CLASSES - 1}")
        if taken[label] < per_class:
            taken[label] += 1
            kept.append(i)
    if any(t < per_class for t in taken):
        sys.exit(f"{labels_path}: some class has fewer than {per_class} images: {taken}")

    size = rows * cols
    sub_pixels = b"".join(pixels[i * size:(i + 1) * size] for i in kept)
    sub_labels = bytes(labels[i] for i in kept)
    outputs = [
        (f"{prefix}-images-idx3-ubyte.gz", idx_bytes(IMAGE_MAGIC, (len(kept), rows, cols), sub_pixels)),
        (f"{prefix}-labels-idx1-ubyte.gz", idx_bytes(LABEL_MAGIC, (len(kept),), sub_labels)),
    ]
    for name, payload in outputs:
        path = os.path.join(out, name)
        write_gzip(path, payload)
        with open(path, "rb") as f:
            written = f.read()
        print(f"written {sha256(written)}  {path}  ({len(written):,} bytes, {len(kept):,} items)")
        print(f"content {sha256(payload)}  {name[:-3]}  (decompressed)")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--out", default=os.path.normpath(os.path.join(here, "..", "datasets", "fashion-mnist")))
    parser.add_argument("--train-per-class", type=int, default=500)
    parser.add_argument("--test-per-class", type=int, default=100)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    make_split(args.source, args.out, SPLITS["train"], args.train_per_class)
    make_split(args.source, args.out, SPLITS["test"], args.test_per_class)


if __name__ == "__main__":
    main()
