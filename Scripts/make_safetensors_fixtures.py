#!/usr/bin/env python3
"""Writes the safetensors test fixtures with the reference `safetensors` package.

Outputs (Tests/AD3DKitTests/Resources/pointmae/safetensors/):
  mixed.safetensors   F32, F16, BF16 and F64 tensors (incl. a scalar and an empty tensor) + metadata,
                      written by safetensors.torch.save_file
  mixed.json          the expected values of every tensor as float32 bit patterns, shapes, metadata
  half_rounding.json  float32 bit patterns and the float16 bit patterns numpy rounds them to

Needs: pip install torch safetensors numpy
"""
import json
import os
import struct

import numpy as np
import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "AD3DKitTests", "Resources", "pointmae", "safetensors")


def main():
    os.makedirs(OUT, exist_ok=True)
    tensors = {
        "weights.f32": torch.tensor([[1.5, -2.25, 3.0e-8], [1.0e30, -0.0, 7.0]], dtype=torch.float32),
        "weights.f16": torch.tensor([0.1, -65504.0, 6.0e-8, 1.0 / 3.0, float("inf")], dtype=torch.float16),
        "weights.bf16": torch.tensor([[3.140625, -1.0e-3], [2.5e38, 1.0]], dtype=torch.bfloat16),
        "weights.f64": torch.tensor([1.0 / 3.0, -1.0e-40, 123456789.0], dtype=torch.float64),
        "scalar": torch.tensor(42.5, dtype=torch.float32),
        "empty": torch.zeros((0, 2), dtype=torch.float32),
    }
    metadata = {"format": "pt", "note": "ümlaut / \"quoted\""}
    save_file(tensors, os.path.join(OUT, "mixed.safetensors"), metadata=metadata)

    expected = {
        "metadata": metadata,
        "tensors": {
            name: {
                "shape": list(t.shape),
                # float32 bit patterns: exact, and JSON has no infinity.
                "float32_bits": [int(b) for b in t.to(torch.float32).reshape(-1).numpy().view(np.uint32)],
            }
            for name, t in tensors.items()
        },
    }
    with open(os.path.join(OUT, "mixed.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)

    rng = np.random.default_rng(7)
    special = np.array(
        [0.0, -0.0, 1.0, 65504.0, 65520.0, 65519.99, 1e6, -1e6, 6.1035156e-05, 6.0e-08, 5.9604645e-08,
         2.9802322e-08, 2.98023259e-08, 1e-10, 1.00048828125, 1.00146484375, 0.1, -0.3, float("inf"),
         -float("inf"), 3.0517578e-05, 4.5e-08],
        dtype=np.float32,
    )
    values = np.concatenate([special, rng.standard_normal(200).astype(np.float32) * 10.0 ** rng.integers(-9, 6, 200)])
    values = values.astype(np.float32)
    pairs = [
        [struct.unpack("<I", struct.pack("<f", v))[0], int(np.float32(v).astype(np.float16).view(np.uint16))]
        for v in values
    ]
    with open(os.path.join(OUT, "half_rounding.json"), "w") as f:
        json.dump({"float32_bits_to_float16_bits": pairs}, f)


if __name__ == "__main__":
    main()
