/// Reading Wavefront OBJ meshes: `v x y z` vertices and `f` faces whose corners are
/// `i`, `i/t`, `i/t/n` or `i//n` (1-based, negative = relative to the last vertex so far).
/// Polygons are fan-triangulated; all other statements (`vn`, `vt`, `g`, `usemtl`, …) are skipped.
enum OBJFormat {
    private static let vertexKeyword = Array("v".utf8)
    private static let faceKeyword = Array("f".utf8)

    /// Reads the mesh.
    static func read(_ file: SourceFile) throws -> TriangleMesh {
        let path = file.path
        try file.requireText(from: 0)
        return try file.bytes.withUnsafeBufferPointer { buffer in
            var scanner = TextScanner(buffer, from: 0, commentByte: UInt8(ascii: "#"))
            var mesh = TriangleMesh()
            var corners = [Int]()
            var face = 0
            while scanner.skipEmptyLines() {
                guard let keyword = scanner.token() else { break }
                if scanner.bytes(keyword, equal: vertexKeyword) {
                    guard let x = scanner.float(), let y = scanner.float(), let z = scanner.float() else {
                        throw PointCloudIOError.invalidValue(path: path, line: scanner.line, problem: "a vertex needs three numbers x y z")
                    }
                    mesh.vertices.append(SIMD3(x, y, z))
                } else if scanner.bytes(keyword, equal: faceKeyword) {
                    corners.removeAll(keepingCapacity: true)
                    while !scanner.atLineEnd() {
                        guard let index = scanner.integer(terminator: UInt8(ascii: "/")), index != 0 else {
                            throw PointCloudIOError.invalidFace(
                                path: path, face: face, problem: "line \(scanner.line): corner is not a non-zero vertex index")
                        }
                        scanner.skipTokenRest()
                        corners.append(index > 0 ? index - 1 : mesh.vertices.count + index)
                    }
                    try mesh.appendPolygon(corners, face: face, path: path)
                    face += 1
                }
                scanner.nextLine()
            }
            return mesh
        }
    }
}
