#!/usr/bin/env python3
"""Writes the point-cloud / mesh fixtures of Tests/AD3DKitTests/Resources/io/ and expected.json.

Every file is produced by the conventions of other tools (numpy.save, struct-packed PCD/PLY/STL
following the PCL, Bourke and STL specs, plyfile and pypcd4 when installed) so that the Swift
readers are checked against independent writers. The LZF compressor below is written from the
liblzf format description, independently of the Swift decoder, and cross-checked against the
`lzf` C extension (python-neo-lzf) when available; PCL's own pcl_convert_pcd_ascii_binary (Debian pcl-tools)
writes the binary and binary_compressed PCD fixtures pcd_pcl_*.pcd when installed.

Usage: python3 Scripts/make_io_fixtures.py   (needs numpy; plyfile/pypcd4/lzf/pcl-tools optional)
"""
import json
import os
import struct

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "AD3DKitTests", "Resources", "io")
rng = np.random.default_rng(20240611)
N = 40
POINTS = (rng.normal(size=(N, 3)) * [10.0, 5.0, 2.0]).astype(np.float32)
INT_POINTS = rng.integers(-300, 300, size=(N, 3)).astype(np.float32)
expected = {}


def record(name, points, encoding, fields, labels=None, **extra):
    entry = {"points": np.asarray(points, dtype=np.float32).astype(float).tolist(),
             "encoding": encoding, "fields": fields}
    if labels is not None:
        entry["labels"] = [int(v) for v in labels]
    entry.update(extra)
    expected[name] = entry


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def g(v):
    """Full-precision decimal for a float32 (repr of the exactly widened value)."""
    return repr(float(np.float32(v)))


# ---------------------------------------------------------------- LZF (liblzf format)
def lzf_compress(data: bytes) -> bytes:
    """Greedy LZF: literal runs of <= 32 bytes, back-references of 3..264 bytes within 8 KiB."""
    out = bytearray()
    literal = bytearray()
    table = {}
    i, n = 0, len(data)

    def flush():
        while literal:
            chunk = literal[:32]
            out.append(len(chunk) - 1)
            out.extend(chunk)
            del literal[:32]

    while i < n:
        key = data[i:i + 3]
        ref = table.get(key) if len(key) == 3 else None
        if len(key) == 3:
            table[key] = i
        if ref is not None and 0 < i - ref <= 8192:
            length = 3
            while i + length < n and length < 264 and data[ref + length] == data[i + length]:
                length += 1
            flush()
            distance = i - ref - 1
            encoded = length - 2
            if encoded < 7:
                out.append((encoded << 5) | (distance >> 8))
            else:
                out.append((7 << 5) | (distance >> 8))
                out.append(encoded - 7)
            out.append(distance & 0xFF)
            for k in range(i + 1, min(i + length, n - 2)):
                table[data[k:k + 3]] = k
            i += length
        else:
            literal.append(data[i])
            i += 1
    flush()
    return bytes(out)


def lzf_decompress_reference(data: bytes, size: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        ctrl = data[i]; i += 1
        if ctrl < 32:
            out.extend(data[i:i + ctrl + 1]); i += ctrl + 1
        else:
            length = ctrl >> 5
            if length == 7:
                length += data[i]; i += 1
            ref = len(out) - ((ctrl & 0x1F) << 8) - data[i] - 1; i += 1
            for _ in range(length + 2):
                out.append(out[ref]); ref += 1
    assert len(out) == size
    return bytes(out)


# ---------------------------------------------------------------- PCD
def pcd_header(fields, sizes, types, counts, width, height, data):
    return ("# .PCD v0.7 - Point Cloud Data file format\nVERSION 0.7\n"
            f"FIELDS {' '.join(fields)}\nSIZE {' '.join(map(str, sizes))}\n"
            f"TYPE {' '.join(types)}\nCOUNT {' '.join(map(str, counts))}\n"
            f"WIDTH {width}\nHEIGHT {height}\nVIEWPOINT 0 0 0 1 0 0 0\n"
            f"POINTS {width * height}\nDATA {data}\n").encode()


def pcd_structured(fields, types, counts):
    """A numpy structured dtype for a PCD record (little endian, packed)."""
    codes = {("F", 4): "<f4", ("F", 8): "<f8", ("I", 1): "i1", ("I", 2): "<i2", ("I", 4): "<i4",
             ("I", 8): "<i8", ("U", 1): "u1", ("U", 2): "<u2", ("U", 4): "<u4", ("U", 8): "<u8"}
    return np.dtype([(f"{name}{k}" if name == "_" else name, codes[(t[0], int(t[1:]))], (c,) if c > 1 else ())
                     for k, (name, t, c) in enumerate(zip(fields, types, counts))])


def make_pcd_records(points, fields, types, counts):
    dtype = pcd_structured(fields, types, counts)
    records = np.zeros(len(points), dtype=dtype)
    for axis, name in enumerate("xyz"):
        records[name] = points[:, axis]
    for name in dtype.names:
        if name not in ("x", "y", "z"):
            shape = records[name].shape
            records[name] = rng.integers(0, 100, size=shape).astype(records[name].dtype)
    return records


def pcd_binary(name, points, fields, types, counts, compressed=False, width=None, height=1):
    records = make_pcd_records(points, fields, types, counts)
    sizes = [int(t[1:]) for t in types]
    letters = [t[0] for t in types]
    width = width or len(points)
    if compressed:
        soa = b"".join(records[n].tobytes() for n in records.dtype.names)
        packed = lzf_compress(soa)
        assert lzf_decompress_reference(packed, len(soa)) == soa
        try:
            import lzf
            assert lzf.decompress(packed, len(soa)) == soa
        except ImportError:
            pass
        body = struct.pack("<II", len(packed), len(soa)) + packed
        encoding = "binary_compressed"
    else:
        body = records.tobytes()
        encoding = "binary"
    write(name, pcd_header(fields, sizes, letters, counts, width, height, encoding) + body)
    record(name, points, encoding, fields)


def pcd_ascii(name, points, fields, types, counts, width=None, height=1):
    records = make_pcd_records(points, fields, types, counts)
    lines = []
    for r in records:
        values = []
        for n in records.dtype.names:
            v = np.atleast_1d(r[n])
            values.extend(g(x) if records.dtype[n].base.kind == "f" else str(int(x)) for x in v)
        lines.append(" ".join(values))
    sizes = [int(t[1:]) for t in types]
    write(name, pcd_header(fields, sizes, [t[0] for t in types], counts, width or len(points), height, "ascii")
          + ("\n".join(lines) + "\n").encode())
    record(name, points, "ascii", fields)


pcd_ascii("pcd_ascii_xyz.pcd", POINTS, ["x", "y", "z"], ["F4"] * 3, [1] * 3)
pcd_ascii("pcd_ascii_rgb_normals.pcd", POINTS,
          ["x", "y", "z", "rgb", "normal_x", "normal_y", "normal_z", "curvature"],
          ["F4", "F4", "F4", "U4", "F4", "F4", "F4", "F4"], [1] * 8)
pcd_ascii("pcd_ascii_organized.pcd", POINTS, ["x", "y", "z"], ["F4"] * 3, [1] * 3, width=8, height=5)
pcd_binary("pcd_binary_reordered.pcd", POINTS, ["intensity", "z", "x", "_", "y"],
           ["F4", "F8", "F8", "U1", "F4"], [1, 1, 1, 3, 1])
pcd_binary("pcd_binary_int.pcd", INT_POINTS, ["y", "x", "label", "z"], ["I2", "I4", "U4", "I8"], [1, 1, 1, 1])
pcd_binary("pcd_binary_count.pcd", POINTS, ["fpfh", "x", "y", "z", "rgb"], ["F4", "F4", "F4", "F4", "U4"], [5, 1, 1, 1, 1])
pcd_binary("pcd_compressed.pcd", POINTS, ["x", "y", "z", "normal_x", "normal_y", "normal_z", "hist"],
           ["F4"] * 6 + ["U2"], [1, 1, 1, 1, 1, 1, 4], compressed=True)
# Repetitive data gives long back-references (length byte, overlapping copies).
REPEATED = np.tile(POINTS[:4], (10, 1))
pcd_binary("pcd_compressed_repetitive.pcd", REPEATED, ["x", "y", "z"], ["F4"] * 3, [1] * 3, compressed=True)

try:
    import pypcd4
    # pypcd4 1.5.1 writes 'DATA binary' even when asked for binary_compressed, so only these two.
    for encoding, tag in [("ascii", "ascii"), ("binary", "binary")]:
        name = f"pcd_pypcd4_{tag}.pcd"
        pypcd4.PointCloud.from_xyzi_points(
            np.hstack([POINTS, rng.random((N, 1), dtype=np.float32)])).save(
            os.path.join(OUT, name), encoding=pypcd4.Encoding(encoding))
        record(name, POINTS, encoding, ["x", "y", "z", "intensity"])
except ImportError:
    print("pypcd4 not installed: skipping its fixtures")

# PCL itself (Debian's pcl-tools) re-encodes the ascii fixture as binary and binary_compressed.
import shutil
import subprocess
if shutil.which("pcl_convert_pcd_ascii_binary"):
    for mode, encoding in [(1, "binary"), (2, "binary_compressed")]:
        name = f"pcd_pcl_{encoding}.pcd"
        subprocess.run(["pcl_convert_pcd_ascii_binary", os.path.join(OUT, "pcd_ascii_rgb_normals.pcd"),
                        os.path.join(OUT, name), str(mode)], check=True, stdout=subprocess.DEVNULL)
        record(name, POINTS, encoding, ["x", "y", "z", "rgb", "normal_x", "normal_y", "normal_z", "curvature"])
else:
    print("pcl-tools not installed: skipping the PCL-written fixtures")


# ---------------------------------------------------------------- PLY
FACES = [[0, 1, 2], [2, 3, 4, 5], [6, 7, 8]]


def ply_file(name, encoding, points, before=(), after=("face",), vertex_list=False, big_endian=False):
    """Hand-written PLY: optional 'edge' (fixed) and 'face' (list) elements around the vertices."""
    endian = ">" if big_endian else "<"
    header = ["ply", f"format {encoding} 1.0", "comment written by make_io_fixtures.py", "obj_info test"]
    body_parts = []

    def element(kind):
        if kind == "edge":
            header.extend(["element edge 2", "property int vertex1", "property int vertex2", "property uchar red"])
            rows = [(0, 1, 255), (1, 2, 128)]
            if encoding == "ascii":
                body_parts.append("".join(f"{a} {b} {c}\n" for a, b, c in rows).encode())
            else:
                body_parts.append(b"".join(struct.pack(endian + "iiB", *r) for r in rows))
        elif kind == "face":
            header.extend([f"element face {len(FACES)}", "property list uchar int vertex_indices",
                           "property uchar quality"])
            if encoding == "ascii":
                body_parts.append("".join(f"{len(f)} {' '.join(map(str, f))} 7\n" for f in FACES).encode())
            else:
                body_parts.append(b"".join(struct.pack(endian + "B" + "i" * len(f) + "B", len(f), *f, 7)
                                           for f in FACES))

    for kind in before:
        element(kind)
    header.append(f"element vertex {len(points)}")
    if vertex_list:
        header.extend(["property uchar flags", "property list uchar float extras"])
    header.extend(["property double x", "property float y", "property float z",
                   "property float nx", "property uchar red", "property ushort intensity"])
    rows = []
    for k, p in enumerate(points):
        extras = [float(k)] * (k % 3)
        if encoding == "ascii":
            prefix = f"1 {len(extras)} {' '.join(map(g, extras))} " if vertex_list else ""
            rows.append((prefix + f"{g(p[0])} {g(p[1])} {g(p[2])} 0.5 {k % 256} {k * 3}\n").encode())
        else:
            prefix = struct.pack(endian + "BB" + "f" * len(extras), 1, len(extras), *extras) if vertex_list else b""
            rows.append(prefix + struct.pack(endian + "dfffBH", float(p[0]), p[1], p[2], 0.5, k % 256, k * 3))
    vertex_body = b"".join(rows)
    parts_before = list(body_parts)
    body_parts.clear()
    for kind in after:
        element(kind)
    header.append("end_header")
    write(name, ("\n".join(header) + "\n").encode() + b"".join(parts_before) + vertex_body + b"".join(body_parts))
    fields = (["flags", "extras"] if vertex_list else []) + ["x", "y", "z", "nx", "red", "intensity"]
    record(name, points, encoding, fields)


ply_file("ply_ascii.ply", "ascii", POINTS, before=("edge",), after=("face",))
ply_file("ply_ascii_vertex_list.ply", "ascii", POINTS, before=("face",), after=(), vertex_list=True)
ply_file("ply_binary_le.ply", "binary_little_endian", POINTS, before=("face", "edge"), after=())
ply_file("ply_binary_be.ply", "binary_big_endian", POINTS, before=("edge",), after=("face",), big_endian=True)
ply_file("ply_binary_be_vertex_list.ply", "binary_big_endian", POINTS, before=("face",), vertex_list=True,
         big_endian=True)

try:
    from plyfile import PlyData, PlyElement
    vertex = np.zeros(N, dtype=[("x", "f4"), ("y", "f4"), ("z", "f4"), ("red", "u1"), ("green", "u1"),
                                ("blue", "u1")])
    for axis, name in enumerate("xyz"):
        vertex[name] = POINTS[:, axis]
    faces = np.array([(f,) for f in FACES], dtype=[("vertex_indices", "O")])
    for text, byte_order, tag in [(False, "<", "le"), (False, ">", "be"), (True, "=", "ascii")]:
        name = f"ply_plyfile_{tag}.ply"
        face_element = PlyElement.describe(faces, "face", val_types={"vertex_indices": "i4"},
                                           len_types={"vertex_indices": "u1"})
        PlyData([PlyElement.describe(vertex, "vertex"), face_element], text=text,
                byte_order=byte_order).write(os.path.join(OUT, name))
        encoding = "ascii" if text else {"<": "binary_little_endian", ">": "binary_big_endian"}[byte_order]
        record(name, POINTS, encoding, ["x", "y", "z", "red", "green", "blue"])
except ImportError:
    print("plyfile not installed: skipping its fixtures")


# ---------------------------------------------------------------- XYZ / TXT / CSV
def write_text(name, text):
    write(name, text.encode())


write_text("points.xyz", "# scanner export\n\n" + "".join(
    f"{g(p[0])} {g(p[1])}  {g(p[2])}\n" + ("\n# gap\n" if k == 10 else "") for k, p in enumerate(POINTS)))
record("points.xyz", POINTS, "ascii", ["x", "y", "z"])

intensity = rng.random(N).astype(np.float32) * 5
write_text("points.csv", "x,y,z,intensity\r\n" + "".join(
    f"{g(p[0])},{g(p[1])},{g(p[2])},{g(i)}\r\n" for p, i in zip(POINTS, intensity)))
record("points.csv", POINTS, "ascii", ["x", "y", "z", "intensity"])

LABELS = (rng.random(N) < 0.25).astype(int)
gt = np.hstack([POINTS.astype(np.float64), LABELS[:, None].astype(np.float64)])
np.savetxt(os.path.join(OUT, "gt_real3d.txt"), gt)  # default fmt '%.18e', space separated
record("gt_real3d.txt", POINTS, "ascii", ["x", "y", "z", "label"], labels=LABELS)

normals = rng.normal(size=(N, 3)).astype(np.float32)
np.savetxt(os.path.join(OUT, "normals_tabs.txt"), np.hstack([POINTS, normals]), delimiter="\t", fmt="%.9g")
record("normals_tabs.txt", POINTS, "ascii", ["x", "y", "z", "column4", "column5", "column6"])

# ---------------------------------------------------------------- NPY
np.save(os.path.join(OUT, "points_f4.npy"), POINTS)
record("points_f4.npy", POINTS, "<f4", ["x", "y", "z"])
np.save(os.path.join(OUT, "points_f8_6cols.npy"), np.hstack([POINTS, normals]).astype(np.float64))
record("points_f8_6cols.npy", POINTS, "<f8", ["x", "y", "z", "column4", "column5", "column6"])
np.save(os.path.join(OUT, "points_f4_be.npy"), POINTS.astype(">f4"))
record("points_f4_be.npy", POINTS, ">f4", ["x", "y", "z"])
np.save(os.path.join(OUT, "points_f8_be.npy"), POINTS.astype(">f8"))
record("points_f8_be.npy", POINTS, ">f8", ["x", "y", "z"])
np.save(os.path.join(OUT, "points_fortran.npy"), np.asfortranarray(POINTS))
TENSOR = (np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 7.0)
np.save(os.path.join(OUT, "tensor_rank3.npy"), TENSOR)
expected["tensor_rank3.npy"] = {"shape": [2, 3, 4], "values": TENSOR.astype(np.float32).astype(float).ravel().tolist()}


# ---------------------------------------------------------------- meshes
def fan(faces):
    return [[f[0], f[k], f[k + 1]] for f in faces for k in range(1, len(f) - 1)]


CUBE_V = np.array([[x, y, z] for z in (-1, 1) for y in (-1, 1) for x in (-1, 1)], dtype=np.float32) * [2, 1, 0.5]
CUBE_F = [[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]]


def record_mesh(name, vertices, triangles, encoding):
    expected[name] = {"vertices": np.asarray(vertices, dtype=np.float32).astype(float).tolist(),
                      "triangles": triangles, "encoding": encoding,
                      "fields": [f"vertices: {len(vertices)}", f"triangles: {len(triangles)}"]}


off = ["OFF", "# a box, 4 x 2 x 1, quads", f"{len(CUBE_V)} {len(CUBE_F)} 12", ""]
off += [f"{g(x)} {g(y)} {g(z)}" + ("  # corner" if k == 0 else "") for k, (x, y, z) in enumerate(CUBE_V)]
off += [f"{len(f)} " + " ".join(map(str, f)) + (" 255 0 0" if k == 1 else "") for k, f in enumerate(CUBE_F)]
write_text("box.off", "\n".join(off) + "\n")
record_mesh("box.off", CUBE_V, fan(CUBE_F), "ascii")

obj = ["# box with texture/normal references", "o box", "mtllib none.mtl"]
obj += [f"v {g(x)} {g(y)} {g(z)}" for x, y, z in CUBE_V[:4]]
obj += ["vt 0 0", "vt 1 0", "vt 1 1", "vn 0 0 -1", "vn 0 0 1", "usemtl none", "s off"]
obj += ["f 1/1/1 3/2/1 4/3/1 2/1/1"]
obj += [f"v {g(x)} {g(y)} {g(z)}" for x, y, z in CUBE_V[4:]]
obj += ["f -4//2 -3//2 -1//2 -2//2",        # face 1 with negative indices: 5 6 8 7
        "f 1/1 2/2 6/3 5/1", "f 3 7 8 4", "f 1 5 7 3", "f 2/1/1 4/2/1 8/3/1 6/1/1", "l 1 2"]
write_text("box.obj", "\n".join(obj) + "\n")
record_mesh("box.obj", CUBE_V, fan(CUBE_F), "ascii")

TRIS = np.array(fan(CUBE_F))
stl_vertices = CUBE_V[TRIS.ravel()]
ascii_stl = ["solid box"]
for t in range(len(TRIS)):
    ascii_stl += ["  facet normal 0 0 0", "    outer loop"]
    ascii_stl += [f"      vertex {g(x)} {g(y)} {g(z)}" for x, y, z in stl_vertices[3 * t:3 * t + 3]]
    ascii_stl += ["    endloop", "  endfacet"]
ascii_stl.append("endsolid box")
write_text("box_ascii.stl", "\n".join(ascii_stl) + "\n")
stl_triangles = [[3 * t, 3 * t + 1, 3 * t + 2] for t in range(len(TRIS))]
record_mesh("box_ascii.stl", stl_vertices, stl_triangles, "ascii")
# Binary STL whose 80-byte header starts with "solid": must be detected by its size.
binary = b"solid binary header".ljust(80, b" ") + struct.pack("<I", len(TRIS))
for t in range(len(TRIS)):
    binary += struct.pack("<3f", 0, 0, 0) + stl_vertices[3 * t:3 * t + 3].astype("<f4").tobytes() + b"\0\0"
write("box_binary.stl", binary)
record_mesh("box_binary.stl", stl_vertices, stl_triangles, "binary")

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=0, sort_keys=True)
print(f"wrote {len(expected)} fixtures to {os.path.normpath(OUT)}")
