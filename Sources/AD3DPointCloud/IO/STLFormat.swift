/// Reading STL meshes. A file is binary when its size is exactly `84 + 50 · n` for the triangle
/// count `n` stored at byte 80 (binary files may also begin with "solid"); otherwise it is
/// parsed as ASCII `facet … outer loop vertex x y z ×3 endloop endfacet`.
enum STLFormat {
    private static let facetKeyword = Array("facet".utf8)
    private static let vertexKeyword = Array("vertex".utf8)
    private static let endFacetKeyword = Array("endfacet".utf8)

    /// Reads the mesh and says which encoding the file used.
    static func read(_ file: SourceFile) throws -> (mesh: TriangleMesh, encoding: String) {
        if file.size >= 84 {
            let count = file.bytes.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 80, as: UInt32.self))) }
            if 84 + 50 * count == file.size { return (readBinary(file, count: count), "binary") }
        }
        guard file.bytes.starts(with: Array("solid".utf8)) else {
            throw PointCloudIOError.invalidHeader(
                path: file.path,
                problem: "neither binary STL (size is not 84 + 50 × the triangle count) nor ASCII STL (no leading 'solid')")
        }
        return (try readASCII(file), "ascii")
    }

    private static func readBinary(_ file: SourceFile, count: Int) -> TriangleMesh {
        var mesh = TriangleMesh()
        mesh.vertices.reserveCapacity(3 * count)
        mesh.triangles.reserveCapacity(count)
        file.bytes.withUnsafeBytes { raw in
            for t in 0..<count {
                // 12 bytes of normal, then three vertices of three little-endian floats.
                let base = 84 + 50 * t + 12
                for corner in 0..<3 {
                    let at = base + 12 * corner
                    let x = ScalarType.float32.load(raw.baseAddress!, at: at, bigEndian: false)
                    let y = ScalarType.float32.load(raw.baseAddress!, at: at + 4, bigEndian: false)
                    let z = ScalarType.float32.load(raw.baseAddress!, at: at + 8, bigEndian: false)
                    mesh.vertices.append(SIMD3(Float(x), Float(y), Float(z)))
                }
                mesh.triangles.append(SIMD3(Int32(3 * t), Int32(3 * t + 1), Int32(3 * t + 2)))
            }
        }
        return mesh
    }

    private static func readASCII(_ file: SourceFile) throws -> TriangleMesh {
        let path = file.path
        try file.requireText(from: 0)
        return try file.bytes.withUnsafeBufferPointer { buffer in
            var scanner = TextScanner(buffer, from: 0)
            var mesh = TriangleMesh()
            var facetStart = 0
            var face = 0
            while scanner.skipToToken(), let token = scanner.token() {
                if scanner.bytes(token, equal: facetKeyword) {
                    facetStart = mesh.vertices.count
                } else if scanner.bytes(token, equal: vertexKeyword) {
                    guard let x = scanner.float(), let y = scanner.float(), let z = scanner.float() else {
                        throw PointCloudIOError.invalidValue(path: path, line: scanner.line, problem: "a vertex needs three numbers x y z")
                    }
                    mesh.vertices.append(SIMD3(x, y, z))
                } else if scanner.bytes(token, equal: endFacetKeyword) {
                    try mesh.appendPolygon(Array(facetStart..<mesh.vertices.count), face: face, path: path)
                    face += 1
                    facetStart = mesh.vertices.count
                }
            }
            return mesh
        }
    }
}
