/// Reading OFF meshes (Geomview Object File Format): an `OFF` header (also `COFF`, `NOFF`, …),
/// the counts `vertices faces edges`, then one vertex per line and one polygon per line as
/// `n i₁ … iₙ` (extra values such as colours are ignored). `#` starts a comment.
enum OFFFormat {
    /// Reads the mesh, fan-triangulating polygons.
    static func read(_ file: SourceFile) throws -> TriangleMesh {
        let path = file.path
        try file.requireText(from: 0)
        return try file.bytes.withUnsafeBufferPointer { buffer in
            var scanner = TextScanner(buffer, from: 0, commentByte: UInt8(ascii: "#"))
            func invalid(_ problem: String) -> PointCloudIOError {
                .invalidValue(path: path, line: scanner.line, problem: problem)
            }
            guard scanner.skipEmptyLines(), let keyword = scanner.token().map({ scanner.text($0) }),
                keyword.hasSuffix("OFF"), !keyword.contains("4"), !keyword.hasPrefix("n")
            else { throw PointCloudIOError.invalidHeader(path: path, problem: "the file does not start with 'OFF'") }
            if scanner.atLineEnd() {
                scanner.nextLine()
                guard scanner.skipEmptyLines() else { throw invalid("missing vertex and face counts") }
            }
            guard let vertexCount = scanner.integer(), let faceCount = scanner.integer(), vertexCount >= 0, faceCount >= 0
            else { throw invalid("expected 'vertices faces edges' counts") }
            scanner.nextLine()

            var mesh = TriangleMesh()
            // Each vertex or face line takes at least 6 bytes, which bounds any reservation.
            mesh.vertices.reserveCapacity(min(vertexCount, scanner.bytesLeft / 6 + 1))
            for index in 0..<vertexCount {
                guard scanner.skipEmptyLines() else {
                    throw PointCloudIOError.countMismatch(path: path, what: "vertices", expected: vertexCount, found: index)
                }
                guard let x = scanner.float(), let y = scanner.float(), let z = scanner.float() else {
                    throw invalid("vertex \(index) needs three numbers x y z")
                }
                mesh.vertices.append(SIMD3(x, y, z))
                scanner.nextLine()
            }
            mesh.triangles.reserveCapacity(min(faceCount, scanner.bytesLeft / 6 + 1))
            var corners = [Int]()
            for face in 0..<faceCount {
                guard scanner.skipEmptyLines() else {
                    throw PointCloudIOError.countMismatch(path: path, what: "faces", expected: faceCount, found: face)
                }
                guard let cornerCount = scanner.integer(), cornerCount >= 0, cornerCount <= scanner.bytesLeft else {
                    throw invalid("face \(face) must start with its number of corners")
                }
                corners.removeAll(keepingCapacity: true)
                for _ in 0..<cornerCount {
                    guard let corner = scanner.integer() else { throw invalid("face \(face) lists fewer than \(cornerCount) vertex indices") }
                    corners.append(corner)
                }
                try mesh.appendPolygon(corners, face: face, path: path)
                scanner.nextLine()
            }
            return mesh
        }
    }
}
