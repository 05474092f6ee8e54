#!/usr/bin/env python3
"""Builds a small Real3D-AD-layout example category and scores it with a plain baseline.

The part is a box-shaped bracket with a cylindrical boss, sampled as noisy surface points.
Defective test scans carry a bulge or a dent (a Gaussian push along the surface normal);
their gt/<stem>.txt files hold `x y z label` per point. Scores come from a simple, honest
baseline computed here with numpy: each test point's distance to the nearest point of the
training scans (object score = the largest point score). ad3d's own detector replaces this
baseline once it lands; this script exists so that `ad3d eval` has a real example to measure.

Usage: make_demo_data.py OUT_DIR [--seed N]
Writes OUT_DIR/bracket/{train,test,gt}/ and OUT_DIR/scores/bracket/{<stem>.txt, objects.csv}.
"""
import argparse
import os

import numpy as np


def sample_bracket(rng, n):
    """Area-weighted samples on a box (2 x 1.2 x 0.4) with a cylinder boss (r 0.3, h 0.4) on top."""
    hx, hy, hz = 1.0, 0.6, 0.2
    r, h = 0.3, 0.4
    faces = [  # (area, axis, sign)
        (4 * hy * hz, 0, 1), (4 * hy * hz, 0, -1),
        (4 * hx * hz, 1, 1), (4 * hx * hz, 1, -1),
        (4 * hx * hy, 2, 1), (4 * hx * hy, 2, -1),
    ]
    areas = np.array([f[0] for f in faces] + [2 * np.pi * r * h, np.pi * r * r])
    counts = rng.multinomial(n, areas / areas.sum())
    half = np.array([hx, hy, hz])
    points, normals = [], []
    for (area, axis, sign), c in zip(faces, counts[:6]):
        p = rng.uniform(-1, 1, size=(c, 3)) * half
        p[:, axis] = sign * half[axis]
        nrm = np.zeros((c, 3))
        nrm[:, axis] = sign
        points.append(p)
        normals.append(nrm)
    theta = rng.uniform(0, 2 * np.pi, counts[6])
    side = np.stack([r * np.cos(theta), r * np.sin(theta), hz + rng.uniform(0, h, counts[6])], 1)
    points.append(side)
    normals.append(np.stack([np.cos(theta), np.sin(theta), np.zeros_like(theta)], 1))
    rad = r * np.sqrt(rng.uniform(0, 1, counts[7]))
    phi = rng.uniform(0, 2 * np.pi, counts[7])
    cap = np.stack([rad * np.cos(phi), rad * np.sin(phi), np.full_like(phi, hz + h)], 1)
    points.append(cap)
    normals.append(np.tile([0.0, 0.0, 1.0], (counts[7], 1)))
    return np.concatenate(points), np.concatenate(normals)


def scan(rng, n, noise=0.003):
    """One scan: surface samples with scanner noise, in random point order."""
    p, nrm = sample_bracket(rng, n)
    order = rng.permutation(len(p))
    return p[order] + rng.normal(0, noise, size=(len(p), 3)), nrm[order]


def add_defect(rng, points, normals, kind):
    """Pushes a disc of the surface along its normal; returns the moved cloud and 0/1 labels."""
    centre = points[rng.integers(len(points))]
    radius = rng.uniform(0.12, 0.2)
    depth = rng.uniform(0.04, 0.08) * (1 if kind == "bulge" else -1)
    d = np.linalg.norm(points - centre, axis=1)
    push = depth * np.exp(-0.5 * (d / (radius / 2)) ** 2) * (d < radius)
    moved = points + push[:, None] * normals
    labels = (np.abs(push) > 0.005).astype(np.int64)
    return moved, labels


def write_pcd(path, points, binary):
    """PCD v0.7 with x y z float fields, in the layout PCL writes."""
    header = (
        "# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\n"
        f"TYPE F F F\nCOUNT 1 1 1\nWIDTH {len(points)}\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\n"
        f"POINTS {len(points)}\nDATA {'binary' if binary else 'ascii'}\n"
    )
    with open(path, "wb") as f:
        f.write(header.encode())
        if binary:
            f.write(points.astype("<f4").tobytes())
        else:
            f.write("".join(f"{x:.6f} {y:.6f} {z:.6f}\n" for x, y, z in points).encode())


def nearest_distance(queries, reference, chunk=512):
    """Euclidean distance from each query to its nearest reference point (brute force, chunked)."""
    ref_sq = (reference ** 2).sum(1)
    out = np.empty(len(queries))
    for s in range(0, len(queries), chunk):
        q = queries[s:s + chunk]
        d2 = (q ** 2).sum(1)[:, None] - 2 * q @ reference.T + ref_sq[None, :]
        out[s:s + chunk] = np.sqrt(np.maximum(d2.min(1), 0))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    category = os.path.join(args.out, "bracket")
    scores_dir = os.path.join(args.out, "scores", "bracket")
    for sub in ("train", "test", "gt"):
        os.makedirs(os.path.join(category, sub), exist_ok=True)
    os.makedirs(scores_dir, exist_ok=True)

    train = []
    for i in range(4):
        points, _ = scan(rng, 6000)
        write_pcd(os.path.join(category, "train", f"{i}_template.pcd"), points, binary=True)
        train.append(points)
    bank = np.concatenate(train)

    rows = []
    samples = [("good", i) for i in range(4)] + [(k, i) for k in ("bulge", "sink") for i in range(3)]
    for kind, i in samples:
        stem = f"{i}_{kind}"
        points, normals = scan(rng, 3000)
        if kind != "good":
            points, labels = add_defect(rng, points, normals, kind)
            np.savetxt(os.path.join(category, "gt", stem + ".txt"),
                       np.column_stack([points, labels]), fmt=["%.6f"] * 3 + ["%d"])
        write_pcd(os.path.join(category, "test", stem + ".pcd"), points, binary=False)
        # Score the points as written (6 decimals), exactly what ad3d reads back.
        scores = nearest_distance(points.round(6), bank)
        np.savetxt(os.path.join(scores_dir, stem + ".txt"), scores, fmt="%.8g")
        rows.append(f"{stem},{scores.max():.8g}")
    with open(os.path.join(scores_dir, "objects.csv"), "w") as f:
        f.write("scan,score\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
