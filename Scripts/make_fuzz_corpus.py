#!/usr/bin/env python3
"""Writes the libFuzzer seed corpora Fixtures/fuzz/<reader>/ and dictionaries Fixtures/fuzz/<reader>.dict.

Each seed is a small valid file (a few KB at most). Independent writers are used where they exist:
numpy for NPY (versions 1.0, 2.0, 3.0), Open3D for PCD in all three encodings (its
binary_compressed is real liblzf output) and the `lzf` module (pip install python-lzf) for the LZF
streams and the hand-written binary_compressed PCD. The safetensors seeds are real ad3d models
trained by the ad3d binary on a 24-point scan (readout none / FPFH, so no encoder weights), and the
model-configuration seeds are the `configuration` metadata of models of each method, prefixed with
the method-selector byte that FuzzModelConfiguration reads (its index in DetectorRegistry.methods).

Usage: python3 Scripts/make_fuzz_corpus.py [--ad3d .build/release/ad3d]
(needs numpy and open3d; lzf optional; without the ad3d binary the model seeds are left as they are)
"""
import argparse
import json
import os
import shutil
import struct
import subprocess
import tempfile

import numpy as np
import open3d as o3d

try:
    import lzf
except ImportError:
    lzf = None

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(ROOT, "Fixtures", "fuzz")
METHODS = ["sca", "btf", "patchcore"]  # DetectorRegistry.methods, in order
rng = np.random.default_rng(7)
POINTS = (rng.normal(size=(16, 3)) * [4.0, 2.0, 1.0]).astype(np.float32)
LABELS = (np.arange(16) % 5 == 0).astype(np.uint8)
BIG_COUNTS = ["1048576", "2147483647", "4294967296", "9223372036854775807"]  # boundary counts for dictionaries


def write(reader, name, data):
    os.makedirs(os.path.join(OUT, reader), exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(OUT, reader, name), "wb") as f:
        f.write(data)


def write_dict(reader, tokens):
    lines = ["# libFuzzer dictionary for the %s reader, written by Scripts/make_fuzz_corpus.py" % reader]
    for data in sorted({token.encode() if isinstance(token, str) else token for token in tokens}):
        escaped = "".join(chr(b) if 32 <= b < 127 and b not in b'"\\' else "\\x%02X" % b for b in data)
        lines.append('"%s"' % escaped)
    with open(os.path.join(OUT, reader + ".dict"), "w") as f:
        f.write("\n".join(lines) + "\n")


def rows(values, fmt="%.6g"):
    return "".join(" ".join(fmt % v for v in row) + "\n" for row in values)


# ------------------------------------------------------------------------------------------- PCD
def pcd_header(fields, sizes, types, counts, width, height, data):
    return ("# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\nFIELDS %s\nSIZE %s\nTYPE %s\nCOUNT %s\n"
            "WIDTH %d\nHEIGHT %d\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS %d\nDATA %s\n" % (
                " ".join(fields), " ".join(map(str, sizes)), " ".join(types), " ".join(map(str, counts)),
                width, height, width * height, data))


def make_pcd():
    with tempfile.TemporaryDirectory() as tmp:
        cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(POINTS.astype(np.float64)))
        cloud.colors = o3d.utility.Vector3dVector(rng.random((16, 3)))
        cloud.normals = o3d.utility.Vector3dVector(rng.normal(size=(16, 3)))
        for name, ascii_, compressed in [("ascii", True, False), ("binary", False, False),
                                         ("binary_compressed", False, True)]:
            path = os.path.join(tmp, name + ".pcd")
            o3d.io.write_point_cloud(path, cloud, write_ascii=ascii_, compressed=compressed)
            with open(path, "rb") as f:
                write("pcd", "open3d_%s.pcd" % name, f.read())
    # Organized 4 x 4 cloud with a uint8 label and a COUNT 2 field, in ASCII.
    extra = rng.random((16, 2))
    body = "".join("%.6g %.6g %.6g %d %.4f %.4f\n" % (*p, l, *e) for p, l, e in zip(POINTS, LABELS, extra))
    write("pcd", "ascii_organized_label_count.pcd",
          pcd_header(["x", "y", "z", "label", "extra"], [4, 4, 4, 1, 4], ["F", "F", "F", "U", "F"], [1, 1, 1, 1, 2],
                     4, 4, "ascii") + body)
    # Binary, float64 coordinates after an int16 field, fields out of x/y/z order.
    record = np.zeros(16, dtype=[("intensity", "<i2"), ("z", "<f8"), ("y", "<f8"), ("x", "<f8")])
    record["x"], record["y"], record["z"] = POINTS.T
    record["intensity"] = np.arange(16) * 100
    write("pcd", "binary_f8_reordered.pcd",
          pcd_header(["intensity", "z", "y", "x"], [2, 8, 8, 8], ["I", "F", "F", "F"], [1, 1, 1, 1], 16, 1, "binary")
          .encode() + record.tobytes())
    if lzf is not None:
        # binary_compressed is column-major: all x, then all y, ... ; then compressed/uncompressed sizes + LZF.
        columns = np.concatenate([POINTS[:, 0], POINTS[:, 1], POINTS[:, 2]]).astype("<f4").tobytes() \
            + np.repeat(np.arange(4, dtype="<u4"), 4).tobytes()
        packed = lzf.compress(columns, 2 * len(columns))
        write("pcd", "lzf_compressed_rgb.pcd",
              pcd_header(["x", "y", "z", "rgb"], [4, 4, 4, 4], ["F", "F", "F", "U"], [1, 1, 1, 1], 16, 1,
                         "binary_compressed").encode() + struct.pack("<II", len(packed), len(columns)) + packed)
    write_dict("pcd", ["VERSION", "FIELDS", "COLUMNS", "SIZE", "TYPE", "COUNT", "WIDTH", "HEIGHT", "VIEWPOINT",
                       "POINTS", "DATA", "ascii", "binary", "binary_compressed", "# .PCD v0.7", " F", " U", " I",
                       " x", " y", " z", " rgb", " label", "\n"] + BIG_COUNTS)


# ------------------------------------------------------------------------------------------- PLY
def make_ply():
    faces = [(0, 1, 2), (2, 3, 4, 5), (6, 7, 8)]
    header = ("ply\nformat %s 1.0\ncomment written by make_fuzz_corpus.py\nobj_info seed\nelement vertex 16\n"
              "property float x\nproperty float y\nproperty double z\nproperty uchar red\n"
              "element face 3\nproperty list uchar int vertex_indices\nend_header\n")
    body = "".join("%.6g %.6g %.9g %d\n" % (*p, i * 10) for i, p in enumerate(POINTS))
    body += "".join("%d %s\n" % (len(f), " ".join(map(str, f))) for f in faces)
    write("ply", "ascii_faces.ply", header % "ascii" + body)
    for name, order in [("binary_little_endian", "<"), ("binary_big_endian", ">")]:
        data = b"".join(struct.pack(order + "ffdB", *p, i * 10) for i, p in enumerate(POINTS))
        data += b"".join(struct.pack(order + "B%di" % len(f), len(f), *f) for f in faces)
        write("ply", name + "_faces.ply", (header % name).encode() + data)
    # A list property inside the vertex element, before the coordinates (CRLF line ends).
    header = ("ply\r\nformat binary_little_endian 1.0\r\nelement vertex 16\r\nproperty list ushort short extras\r\n"
              "property float x\r\nproperty float y\r\nproperty float z\r\nproperty uint label\r\nend_header\r\n")
    data = b"".join(struct.pack("<H%dh3fI" % (i % 3), i % 3, *range(i % 3), *p, l)
                    for i, (p, l) in enumerate(zip(POINTS, LABELS)))
    write("ply", "vertex_list_crlf.ply", header.encode() + data)
    write_dict("ply", ["ply\n", "format", "ascii", "binary_little_endian", "binary_big_endian", "1.0", "comment",
                       "obj_info", "element", "vertex", "face", "property", "list", "end_header\n", "vertex_indices",
                       "char", "uchar", "short", "ushort", "int", "uint", "float", "double", "int8", "uint8",
                       "int16", "uint16", "int32", "uint32", "float32", "float64", " x", " y", " z", "\r\n"] + BIG_COUNTS)


# ------------------------------------------------------------------------------------------- XYZ
def make_xyz():
    write("xyz", "plain.xyz", rows(POINTS))
    write("xyz", "header.xyz", "x y z nx ny nz\n" + rows(np.hstack([POINTS, rng.normal(size=(16, 3))])))
    write("xyz", "comma_header.xyz", "x,y,z,intensity\n" + "".join(
        "%.6g,%.6g,%.6g,%.3f\n" % (*p, i) for p, i in zip(POINTS, rng.random(16))))
    write("xyz", "labels.xyz", "".join("%.6g %.6g %.6g %d\n" % (*p, l) for p, l in zip(POINTS, LABELS)))
    write("xyz", "comments_tabs.xyz", "# scan\n\n" + "".join(
        "%.6e\t%.6e\t%.6e  # point %d\r\n" % (*p, i) for i, p in enumerate(POINTS)))
    write_dict("xyz", ["#", ",", "\t", "\r\n", "x y z", "label", "nan", "inf", "e+38", "e-45", "0x1p3", "1", "0"])


# ------------------------------------------------------------------------------------------- NPY
def make_npy():
    def npy(array, version):
        with tempfile.TemporaryFile() as f:
            np.lib.format.write_array(f, array, version=version)
            f.seek(0)
            return f.read()
    write("npy", "v1_f4.npy", npy(POINTS.astype("<f4"), (1, 0)))
    write("npy", "v1_f8_be.npy", npy(POINTS.astype(">f8"), (1, 0)))
    write("npy", "v2_f4_6cols.npy", npy(np.hstack([POINTS, POINTS]).astype("<f4"), (2, 0)))
    write("npy", "v3_f8.npy", npy(POINTS.astype("<f8"), (3, 0)))
    write("npy", "v1_f4_be.npy", npy(POINTS[:4].astype(">f4"), (1, 0)))
    write_dict("npy", [b"\x93NUMPY", b"\x01\x00", b"\x02\x00", b"\x03\x00", "{'descr': ", "'descr'", "'<f4'",
                       "'>f4'", "'=f4'", "'<f8'", "'>f8'", "'fortran_order'", "False", "True", "'shape'", "(16, 3)",
                       "()", ", }", "\n"])


# ------------------------------------------------------------------------------------------- meshes
BOX = np.array([[x, y, z] for z in (-0.5, 0.5) for y in (-1, 1) for x in (-2, 2)], dtype=np.float32)
QUADS = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]


def triangles():
    return [(q[0], q[i], q[i + 1]) for q in QUADS for i in (1, 2)]


def make_meshes():
    write("off", "box_quads.off", "OFF\n# a box\n8 6 12\n\n" + rows(BOX) +
          "".join("4 %d %d %d %d\n" % q for q in QUADS))
    write("off", "tetra_oneline.off", "OFF 4 4 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1\n3 0 2 1\n3 0 1 3\n3 0 3 2\n3 1 2 3\n")
    write("off", "coff_triangles.off", "COFF\n8 12 0\n" + "".join(
        "%g %g %g 255 0 0 255\n" % tuple(v) for v in BOX) + "".join("3 %d %d %d\n" % t for t in triangles()))
    write_dict("off", ["OFF", "COFF", "NOFF", "STOFF", "#", "\n", "3 ", "4 "])

    write("obj", "box_vt_vn_negative.obj",
          "# box\no box\nmtllib none.mtl\n" + "".join("v %g %g %g\n" % tuple(v) for v in BOX[:4]) +
          "vt 0 0\nvt 1 0\nvt 1 1\nvn 0 0 -1\nvn 0 0 1\nusemtl none\ns off\nf 1/1/1 3/2/1 4/3/1 2/1/1\n" +
          "".join("v %g %g %g\n" % tuple(v) for v in BOX[4:]) +
          "f -4//2 -3//2 -1//2 -2//2\nf 1/1 2/2 6/3 5/1\nf 3 7 8 4\ng side\nf 1 5 7\nf 1 7 3\nf 2 4 8 6\n")
    write("obj", "triangles.obj", "".join("v %g %g %g\n" % tuple(v) for v in BOX) +
          "".join("f %d %d %d\n" % tuple(i + 1 for i in t) for t in triangles()))
    write_dict("obj", ["v ", "vt ", "vn ", "vp ", "f ", "/", "//", "-1", "o ", "g ", "s off", "usemtl", "mtllib", "#"])

    tris = [BOX[list(t)] for t in triangles()]
    write("stl", "box_ascii.stl", "solid box\n" + "".join(
        "  facet normal 0 0 0\n    outer loop\n" + "".join("      vertex %g %g %g\n" % tuple(v) for v in t) +
        "    endloop\n  endfacet\n" for t in tris) + "endsolid box\n")
    binary = b"binary box".ljust(80, b" ") + struct.pack("<I", len(tris)) + b"".join(
        struct.pack("<3f9fH", 0, 0, 0, *t.ravel(), 0) for t in tris)
    write("stl", "box_binary.stl", binary)
    # Binary, but with a header that starts with "solid" (as some exporters write).
    write("stl", "binary_solid_header.stl", b"solid binary".ljust(80, b" ") + binary[80:])
    write_dict("stl", ["solid", "endsolid", "facet", "normal", "outer", "loop", "vertex", "endloop", "endfacet"])


# ------------------------------------------------------------------------------------------- LZF
def make_lzf():
    streams = {}
    with open(os.path.join(OUT, "pcd", "open3d_binary_compressed.pcd"), "rb") as f:
        data = f.read()
    start = data.index(b"DATA binary_compressed\n") + len(b"DATA binary_compressed\n")
    packed, size = struct.unpack("<II", data[start:start + 8])
    streams["open3d_pcd"] = (size, data[start + 8:start + 8 + packed])
    if lzf is not None:
        for name, raw in [("text", b"LZF streams: literal runs and back-references; " * 6),
                          ("run", b"\x00" * 600 + b"ab" * 100),
                          ("floats", POINTS.tobytes()),
                          ("mixed", bytes(range(256)) + bytes(range(0, 256, 2)) * 3)]:
            streams[name] = (len(raw), lzf.compress(raw, len(raw) + len(raw) // 16 + 64))
    for name, (size, stream) in streams.items():
        write("lzf", name + ".lzf", struct.pack("<H", size) + stream)
    write_dict("lzf", [b"\x00", b"\x1f", b"\x20\x00", b"\xe0\x00\x00", b"\xe0\xff\x00", b"\xff\xff"])


# ------------------------------------------------------------------------------------------- models
def config_keys(value, out):
    if isinstance(value, dict):
        for key, item in value.items():
            out.add('"%s":' % key)
            config_keys(item, out)
    elif isinstance(value, list):
        for item in value:
            config_keys(item, out)
    elif isinstance(value, str):
        out.add('"%s"' % value)
        if value.startswith("{"):
            config_keys(json.loads(value), out)


def safetensors(tensors, metadata):
    header, data = {"__metadata__": metadata}, b""
    for name, (dtype, shape, raw) in sorted(tensors.items()):
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + data


def make_models(ad3d):
    # A plain (non-model) safetensors file with every dtype the decoder converts.
    values = np.linspace(-2, 2, 6).reshape(2, 3)
    bf16 = (values.astype("<f4").view("<u4") >> 16).astype("<u2").tobytes()
    write("safetensors", "dtypes_not_a_model.safetensors", safetensors(
        {"f32": ("F32", [2, 3], values.astype("<f4").tobytes()), "f16": ("F16", [2, 3], values.astype("<f2").tobytes()),
         "bf16": ("BF16", [6], bf16), "f64": ("F64", [3, 2], values.astype("<f8").tobytes()),
         "scalar": ("F32", [], np.float32(1).tobytes())}, {"note": "dtypes"}))
    tokens = {'"dtype"', '"shape"', '"data_offsets"', '"__metadata__"', '"F32"', '"F16"', '"BF16"', '"F64"',
              '"I64"', '"format"', '"ad3d-model"', '"format_version"', '"1"', '"method"', '"configuration"',
              '"sca"', '"btf"', '"patchcore"'}
    if not ad3d or not os.path.exists(ad3d):
        print("no ad3d binary (swift build -c release): model seeds left as they are")
        write_dict("safetensors", tokens)
        return
    configs = set()
    with tempfile.TemporaryDirectory() as tmp:
        part = os.path.join(tmp, "part")
        for folder, name in [("train", "0.pcd"), ("test", "0_good.pcd")]:
            os.makedirs(os.path.join(part, folder))
            with open(os.path.join(part, folder, name), "w") as f:
                f.write(pcd_header(["x", "y", "z"], [4, 4, 4], ["F", "F", "F"], [1, 1, 1], 24, 1, "ascii"))
                f.write(rows(np.vstack([POINTS, BOX])))
        runs = [("sca", ["--readout", "none", "--points", "16"], True),
                ("btf", ["--method", "btf"], True),
                ("patchcore", ["--method", "patchcore"], True),
                ("sca-memory", ["--readout", "memory"], False),
                ("sca-combined", ["--readout", "combined", "--steps", "1"], False),
                ("patchcore-encoder", ["--method", "patchcore", "--features", "encoder"], False)]
        tiny_encoder = ["--encoder", "random", "--encoder-size", "tiny", "--groups", "4", "--group-size", "4",
                        "--points", "16", "--augmentations", "1"]
        for name, options, keep in runs:
            model = os.path.join(tmp, name + ".safetensors")
            options = options + ([] if keep else tiny_encoder)
            subprocess.run([ad3d, "train", part, "-o", model, "--jobs", "1", *options], check=True,
                           stdout=subprocess.DEVNULL)
            with open(model, "rb") as f:
                content = f.read()
            length = struct.unpack("<Q", content[:8])[0]
            metadata = json.loads(content[8:8 + length])["__metadata__"]
            method = metadata["method"]
            write("model-configuration", name + ".json",
                  bytes([METHODS.index(method)]) + metadata["configuration"].encode())
            config_keys(json.loads(metadata["configuration"]), configs)
            if keep:
                write("safetensors", name + ".safetensors", content)
    write_dict("safetensors", tokens)
    write_dict("model-configuration", configs | {"true", "false", "null", "{}", "[]", "1e309", "-1", "0.0"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ad3d", default=os.path.join(ROOT, ".build", "release", "ad3d"))
    args = parser.parse_args()
    models = ["safetensors", "model-configuration"] if os.path.exists(args.ad3d) else []
    for reader in ["pcd", "ply", "xyz", "npy", "off", "obj", "stl", "lzf"] + models:
        shutil.rmtree(os.path.join(OUT, reader), ignore_errors=True)
    make_pcd()
    make_ply()
    make_xyz()
    make_npy()
    make_meshes()
    make_lzf()
    make_models(args.ad3d)
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(OUT) for f in files)
    print("wrote %s (%d bytes)" % (os.path.relpath(OUT, ROOT), total))


if __name__ == "__main__":
    main()
