import Foundation
import Testing
import AD3DKit
@testable import AD3DPointCloud

/// One malformed file: its name, bytes and the `PointCloudIOError` case it must raise.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var expected: String
    var testDescription: String { "\(name) → \(expected)" }

    init(_ name: String, _ text: String, _ expected: String, binary: [UInt8] = []) {
        self.name = name
        self.bytes = Array(text.utf8) + binary
        self.expected = expected
    }
}

private func f32(_ values: [Float], bigEndian: Bool = false) -> [UInt8] {
    values.flatMap { value -> [UInt8] in
        let bits = bigEndian ? value.bitPattern.bigEndian : value.bitPattern.littleEndian
        return withUnsafeBytes(of: bits) { Array($0) }
    }
}

private func u32(_ values: UInt32...) -> [UInt8] {
    values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

private func pcd(width: String = "1", points: String? = nil, data: String, fields: String = "x y z",
                 size: String = "4 4 4", type: String = "F F F") -> String {
    "# .PCD v0.7\nVERSION 0.7\nFIELDS \(fields)\nSIZE \(size)\nTYPE \(type)\nCOUNT 1 1 1\nWIDTH \(width)\n"
        + "HEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS \(points ?? width)\nDATA \(data)\n"
}

private func ply(_ format: String, _ elements: String) -> String {
    "ply\nformat \(format) 1.0\n\(elements)end_header\n"
}

private func npy(_ descr: String, _ shape: String, _ data: [UInt8], fortran: Bool = false) -> [UInt8] {
    let dictionary = "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }\n"
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dictionary.utf8.count), 0] + Array(dictionary.utf8) + data
}

extension MalformedCase {
    init(_ name: String, bytes: [UInt8], _ expected: String) {
        self.name = name
        self.bytes = bytes
        self.expected = expected
    }

    static let vertexXYZ = "element vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
    static let cube = "v 0 0 0\nv 1 0 0\nv 0 1 0\n"

    static let pcdCases: [MalformedCase] = [
        .init("truncated.pcd", pcd(width: "40", data: "binary"), "truncatedData", binary: Array(repeating: 0, count: 100)),
        .init("huge_binary.pcd", pcd(width: "1000000000000", data: "binary"), "truncatedData", binary: f32([1, 2, 3])),
        .init("huge_ascii.pcd", pcd(width: "1000000000000", data: "ascii") + "1 2 3\n", "countMismatch"),
        .init("points_vs_width.pcd", pcd(width: "3", points: "4", data: "ascii"), "invalidHeader"),
        .init("unknown_type.pcd", pcd(data: "ascii", type: "F F X") + "1 2 3\n", "invalidHeader"),
        .init("bad_size.pcd", pcd(data: "ascii", size: "4 4 3") + "1 2 3\n", "invalidHeader"),
        .init("no_z.pcd", pcd(data: "ascii", fields: "x y w") + "1 2 3\n", "invalidHeader"),
        .init("unknown_data.pcd", pcd(data: "zip") + "1 2 3\n", "invalidHeader"),
        .init("no_data_line.pcd", "VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nWIDTH 1\n", "invalidHeader"),
        .init("nan_ascii.pcd", pcd(width: "3", data: "ascii") + "1 2 3\nnan nan nan\n4 5 6\n", "nonFiniteCoordinate"),
        .init("inf_binary.pcd", pcd(width: "2", data: "binary"), "nonFiniteCoordinate", binary: f32([1, 2, 3, 4, .infinity, 6])),
        .init("zero_points.pcd", pcd(width: "0", data: "ascii"), "noPoints"),
        .init("word.pcd", pcd(data: "ascii") + "1 2 abc\n", "invalidValue"),
        .init("short_line.pcd", pcd(width: "2", data: "ascii") + "1 2\n3 4 5\n", "invalidValue"),
        .init("long_line.pcd", pcd(data: "ascii") + "1 2 3 4\n", "invalidValue"),
        .init("extra_lines.pcd", pcd(data: "ascii") + "1 2 3\n4 5 6\n", "countMismatch"),
        .init("few_lines.pcd", pcd(width: "3", data: "ascii") + "1 2 3\n4 5 6\n", "countMismatch"),
        .init("lzf_backref.pcd", pcd(data: "binary_compressed"), "corruptCompressedData",
              binary: u32(4, 12) + [0, 1, 1 << 5, 9]),
        .init("lzf_overrun.pcd", pcd(data: "binary_compressed"), "corruptCompressedData",
              binary: u32(14, 12) + [12] + Array(repeating: 7, count: 13)),
        .init("lzf_short.pcd", pcd(data: "binary_compressed"), "corruptCompressedData",
              binary: u32(5, 12) + [3, 1, 2, 3, 4]),
        .init("lzf_size_header.pcd", pcd(data: "binary_compressed"), "invalidHeader",
              binary: u32(5, 16) + [3, 1, 2, 3, 4]),
        .init("lzf_past_end.pcd", pcd(data: "binary_compressed"), "truncatedData", binary: u32(1000, 12) + [3, 1, 2]),
        .init("lzf_ratio.pcd", pcd(width: "1000000", data: "binary_compressed"), "corruptCompressedData",
              binary: u32(4, 12_000_000) + [0, 0, 0xE0, 0]),
        .init("lzf_no_sizes.pcd", pcd(data: "binary_compressed"), "truncatedData", binary: [1, 2, 3, 4]),
    ]

    static let plyCases: [MalformedCase] = [
        .init("not_ply.ply", "plx\nformat ascii 1.0\nend_header\n", "invalidHeader"),
        .init("bad_format.ply", ply("binary_middle_endian", vertexXYZ), "invalidHeader"),
        .init("bad_property.ply", ply("ascii", "element vertex 1\nproperty half x\n"), "invalidHeader"),
        .init("no_vertex.ply", ply("ascii", "element face 0\nproperty list uchar int vertex_indices\n"), "invalidHeader"),
        .init("no_x.ply", ply("ascii", "element vertex 1\nproperty float y\nproperty float z\n") + "1 2\n", "invalidHeader"),
        .init("no_end_header.ply", "ply\nformat ascii 1.0\n" + vertexXYZ + "1 2 3\n", "invalidHeader"),
        .init("truncated.ply", ply("binary_little_endian", vertexXYZ), "truncatedData", binary: f32([1, 2, 3, 4, 5])),
        .init("huge.ply", ply("binary_little_endian", "element vertex 1000000000000\nproperty float x\nproperty float y\nproperty float z\n"),
              "truncatedData", binary: f32([1, 2, 3])),
        .init("face_list_past_end.ply",
              ply("binary_little_endian", "element face 1\nproperty list uchar int vertex_indices\n" + vertexXYZ),
              "truncatedData", binary: [255, 0, 0, 0, 0]),
        .init("negative_list.ply",
              ply("binary_little_endian", "element face 1\nproperty list int int vertex_indices\n" + vertexXYZ),
              "invalidData", binary: u32(UInt32(bitPattern: -5)) + f32(Array(repeating: 1, count: 9))),
        .init("ascii_word.ply", ply("ascii", vertexXYZ) + "1 2 3\n4 x 6\n7 8 9\n", "invalidValue"),
        .init("ascii_short.ply", ply("ascii", vertexXYZ) + "1 2 3\n4 5 6\n", "countMismatch"),
        .init("nan.ply", ply("ascii", vertexXYZ) + "1 2 3\n4 5 nan\n7 8 9\n", "nonFiniteCoordinate"),
        .init("zero.ply", ply("ascii", "element vertex 0\nproperty float x\nproperty float y\nproperty float z\n"), "noPoints"),
    ]

    static let textCases: [MalformedCase] = [
        .init("word.xyz", "1 2 3\n4 five 6\n", "invalidValue"),
        .init("two_columns.csv", "1,2\n3,4\n", "invalidValue"),
        .init("empty.txt", "", "noPoints"),
        .init("only_comments.xyz", "# a\n\n# b\n", "noPoints"),
        .init("header_only.csv", "x,y,z\n", "noPoints"),
        .init("inf.txt", "1 2 3\ninf 0 0\n", "nonFiniteCoordinate"),
    ]

    static let npyCases: [MalformedCase] = [
        .init("int.npy", bytes: npy("<i4", "(1, 3)", u32(1, 2, 3)), "unsupportedLayout"),
        .init("fortran.npy", bytes: npy("<f4", "(1, 3)", f32([1, 2, 3]), fortran: true), "unsupportedLayout"),
        .init("two_columns.npy", bytes: npy("<f4", "(2, 2)", f32([1, 2, 3, 4])), "unsupportedLayout"),
        .init("huge.npy", bytes: npy("<f4", "(1000000000000, 3)", f32([1, 2, 3])), "truncatedData"),
        .init("overflow.npy", bytes: npy("<f8", "(4611686018427387904, 4)", []), "invalidHeader"),
        .init("truncated.npy", bytes: npy("<f4", "(10, 3)", f32([1, 2])), "truncatedData"),
        .init("zero_rows.npy", bytes: npy("<f4", "(0, 3)", []), "noPoints"),
        .init("magic.npy", "NUMPY not really an array", "invalidHeader"),
        .init("header_past_end.npy", bytes: [0x93] + Array("NUMPY".utf8) + [1, 0, 200, 0, 123], "truncatedData"),
    ]

    static let meshCases: [MalformedCase] = [
        .init("index.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 9\n", "invalidFace"),
        .init("two_corners.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n2 0 1\n", "invalidFace"),
        .init("short_face.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1 0\n4 0 1 2\n", "invalidValue"),
        .init("no_header.off", "3 1 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", "invalidHeader"),
        .init("few_vertices.off", "OFF\n4 1 0\n0 0 0\n1 0 0\n", "countMismatch"),
        .init("few_faces.off", "OFF\n3 2 0\n0 0 0\n1 0 0\n0 1 0\n3 0 1 2\n", "countMismatch"),
        .init("huge.off", "OFF\n1000000000000 1 0\n0 0 0\n", "countMismatch"),
        .init("flat.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n2 0 0\n3 0 1 2\n", "degenerateMesh"),
        .init("zero_index.obj", cube + "f 0 1 2\n", "invalidFace"),
        .init("range.obj", cube + "f 1 2 4\n", "invalidFace"),
        .init("negative.obj", cube + "f -1 -2 -4\n", "invalidFace"),
        .init("no_faces.obj", cube, "noPoints"),
        .init("bad_vertex.obj", "v 1 2\n", "invalidValue"),
        .init("nan.obj", "v 0 0 0\nv nan 0 0\nv 0 1 0\nf 1 2 3\n", "nonFiniteCoordinate"),
        .init("truncated.stl", "binary header", "invalidHeader",
              binary: Array(repeating: 0, count: 67) + u32(2) + Array(repeating: 0, count: 50)),
        .init("two_vertices.stl", "solid s\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nendloop\nendfacet\nendsolid s\n",
              "invalidFace"),
        .init("unsupported.las", "LASF", "unsupportedFormat"),
    ]

    static let all = pcdCases + plyCases + textCases + npyCases + meshCases
}

/// Malformed input raises the right typed error, naming the file, and never crashes.
@Suite struct IOMalformedInputTests {
    @Test(arguments: MalformedCase.all)
    func rejects(_ malformed: MalformedCase) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent(malformed.name)
        try Data(malformed.bytes).write(to: url)
        let error = #expect(throws: PointCloudIOError.self) { try PointCloudReader.read(url, meshSampleCount: 16) }
        #expect(error.map(caseName) == malformed.expected)
        #expect(error?.localizedDescription.contains(malformed.name) == true)
    }

    @Test func nonFiniteErrorsNameThePoint() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("organised.pcd")
        try Data((pcd(width: "4", data: "ascii") + "1 2 3\n4 5 6\n7 8 9\nnan nan nan\n").utf8).write(to: url)
        #expect(throws: PointCloudIOError.nonFiniteCoordinate(path: url.path, pointIndex: 3)) {
            try PointCloudReader.read(url)
        }
    }

    @Test func missingFileCannotBeRead() {
        let url = URL(fileURLWithPath: "/nonexistent/ad3d/missing-scan.pcd")
        let error = #expect(throws: PointCloudIOError.self) { try PointCloudReader.read(url) }
        #expect(error.map(caseName) == "cannotRead")
        #expect(error?.localizedDescription.contains("missing-scan.pcd") == true)
    }
}
