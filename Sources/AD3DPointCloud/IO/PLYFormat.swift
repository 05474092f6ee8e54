import AD3DSupport
import Foundation

/// Reading PLY point clouds (ascii, binary little- and big-endian) and writing binary PLY.
/// Only the `vertex` element is read: other elements (faces, edges, …) are skipped, so a PLY
/// mesh is read as the point cloud of its vertices.
enum PLYFormat {
    /// Reads the x/y/z properties of every vertex.
    static func read(_ file: SourceFile) throws -> ScanFile {
        let header = try PLYHeader(file: file)
        let path = file.path
        guard let vertexIndex = header.elements.firstIndex(where: { $0.name == "vertex" }) else {
            throw PointCloudIOError.invalidHeader(path: path, problem: "no 'vertex' element")
        }
        let vertex = header.elements[vertexIndex]
        let axes = try ["x", "y", "z"].map { name in
            guard let index = vertex.properties.firstIndex(where: { $0.name == name && $0.countType == nil }) else {
                throw PointCloudIOError.invalidHeader(path: path, problem: "the vertex element has no scalar '\(name)' property")
            }
            return index
        }
        guard vertex.count > 0 else { throw PointCloudIOError.noPoints(path: path) }
        let before = header.elements[..<vertexIndex]
        let coordinates: [Float]
        if header.encoding == .ascii {
            try file.requireText(from: header.dataOffset)
            coordinates = try file.bytes.withUnsafeBufferPointer { buffer in
                var scanner = TextScanner(buffer, from: header.dataOffset, line: header.dataLine)
                for element in before { try readASCII(element, &scanner, path: path, axes: nil) }
                return try readASCII(vertex, &scanner, path: path, axes: axes)
            }
        } else {
            let bigEndian = header.encoding == .binaryBigEndian
            coordinates = try file.bytes.withUnsafeBytes { raw in
                var reader = BinaryBody(raw: raw, end: file.size, offset: header.dataOffset, bigEndian: bigEndian, path: path)
                for element in before { try reader.skip(element) }
                return try reader.readVertices(vertex, axes: axes)
            }
        }
        try requireUsableCoordinates(coordinates, path: path)
        return ScanFile(
            url: file.url, format: .ply, encoding: header.encoding.rawValue,
            fields: vertex.properties.map(\.name), cloud: PointCloud(coordinates: coordinates))
    }

    /// Reads (`axes` set: returns coordinates) or skips (`axes` nil) all instances of `element`.
    @discardableResult
    private static func readASCII(_ element: PLYHeader.Element, _ scanner: inout TextScanner, path: String, axes: [Int]?)
        throws -> [Float]
    {
        // Instances without properties take no text, however many the header announces.
        guard !element.properties.isEmpty else { return [] }
        var roles = [Int](repeating: -1, count: element.properties.count)
        for (axis, property) in (axes ?? []).enumerated() { roles[property] = axis }
        var coordinates = [Float]()
        if axes != nil { coordinates.reserveCapacity(3 * min(element.count, scanner.bytesLeft / 2 + 1)) }
        var point = SIMD3<Float>()
        for index in 0..<element.count {
            for (propertyIndex, property) in element.properties.enumerated() {
                guard scanner.skipToToken() else {
                    throw PointCloudIOError.countMismatch(
                        path: path, what: "'\(element.name)' elements", expected: element.count, found: index)
                }
                let role = roles[propertyIndex]
                if property.countType != nil {
                    guard let length = scanner.integer() else { throw notANumber(&scanner, path: path) }
                    guard length >= 0 else {
                        throw PointCloudIOError.invalidValue(
                            path: path, line: scanner.line, problem: "list length \(length) of '\(property.name)' is negative")
                    }
                    for _ in 0..<length {
                        guard scanner.skipToToken(), scanner.token() != nil else {
                            throw PointCloudIOError.countMismatch(
                                path: path, what: "'\(element.name)' elements", expected: element.count, found: index)
                        }
                    }
                } else if role >= 0 {
                    guard let value = scanner.float() else { throw notANumber(&scanner, path: path) }
                    point[role] = value
                } else {
                    _ = scanner.token()
                }
            }
            if axes != nil { coordinates.append(point.x); coordinates.append(point.y); coordinates.append(point.z) }
        }
        return coordinates
    }

    private static func notANumber(_ scanner: inout TextScanner, path: String) -> PointCloudIOError {
        let token = scanner.token().map { scanner.text($0) } ?? ""
        return .invalidValue(path: path, line: scanner.line, problem: "'\(token)' is not a valid number here")
    }

    /// The bytes of a binary little-endian PLY file with float x/y/z, optional float `scalar` and
    /// `quality` (the same value, under the names CloudCompare and MeshLab show) and optional uchar
    /// `red`/`green`/`blue` per vertex.
    static func encode(_ cloud: PointCloud, scalars: [Float]?, colors: [SIMD3<UInt8>]?) -> [UInt8] {
        precondition(scalars == nil || scalars!.count == cloud.count, "one scalar per point")
        precondition(colors == nil || colors!.count == cloud.count, "one colour per point")
        var header = "ply\nformat binary_little_endian 1.0\ncomment written by ad3d\n"
        header += "element vertex \(cloud.count)\nproperty float x\nproperty float y\nproperty float z\n"
        if scalars != nil { header += "property float scalar\nproperty float quality\n" }
        if colors != nil { header += "property uchar red\nproperty uchar green\nproperty uchar blue\n" }
        header += "end_header\n"
        var bytes = [UInt8]()
        bytes.appendASCII(header)
        bytes.reserveCapacity(bytes.count + cloud.count * (12 + (scalars == nil ? 0 : 8) + (colors == nil ? 0 : 3)))
        for i in 0..<cloud.count {
            for axis in 0..<3 { bytes.appendLittleEndian(cloud.coordinates[3 * i + axis]) }
            if let scalars { bytes.appendLittleEndian(scalars[i]); bytes.appendLittleEndian(scalars[i]) }
            if let colors { bytes.append(colors[i].x); bytes.append(colors[i].y); bytes.append(colors[i].z) }
        }
        return bytes
    }
}

/// A bounds-checked cursor over a binary PLY body.
private struct BinaryBody {
    let raw: UnsafeRawBufferPointer
    let end: Int
    var offset: Int
    let bigEndian: Bool
    let path: String

    private func require(_ bytes: Int?) throws {
        let available = end - offset
        guard let bytes, bytes <= available else {
            throw PointCloudIOError.truncatedData(path: path, expectedBytes: bytes ?? .max, availableBytes: available)
        }
    }

    /// Advances over one instance of a variable-size element, reporting each property's offset.
    private mutating func walk(_ element: PLYHeader.Element, visit: (Int, Int) -> Void) throws {
        for (index, property) in element.properties.enumerated() {
            if let countType = property.countType {
                try require(countType.size)
                let length = countType.load(raw.baseAddress!, at: offset, bigEndian: bigEndian)
                guard length >= 0 else {
                    throw PointCloudIOError.invalidData(
                        path: path, problem: "list length \(length) in '\(element.name)' at byte \(offset)")
                }
                offset += countType.size
                try require(Int(exactly: length).flatMap { checkedProduct($0, property.type.size) })
                offset += Int(length) * property.type.size
            } else {
                try require(property.type.size)
                visit(index, offset)
                offset += property.type.size
            }
        }
    }

    /// Advances over every instance of `element`.
    mutating func skip(_ element: PLYHeader.Element) throws {
        try require(checkedProduct(element.count, element.minimumSize))
        if let size = element.fixedSize {
            offset += element.count * size
        } else {
            for _ in 0..<element.count { try walk(element) { _, _ in } }
        }
    }

    /// Reads the properties at `axes` of every instance of `vertex` as x/y/z.
    mutating func readVertices(_ vertex: PLYHeader.Element, axes: [Int]) throws -> [Float] {
        try require(checkedProduct(vertex.count, vertex.minimumSize))
        let types = axes.map { vertex.properties[$0].type }
        if let size = vertex.fixedSize {
            let starts = axes.map { axis in offset + vertex.properties[..<axis].reduce(0) { $0 + $1.type.size } }
            offset += vertex.count * size
            return gatherCoordinates(
                raw.baseAddress!, points: vertex.count, types: types, starts: starts, strides: [size, size, size],
                bigEndian: bigEndian)
        }
        var coordinates = [Float](repeating: 0, count: 3 * vertex.count)
        for i in 0..<vertex.count {
            var found = [0, 0, 0]
            try walk(vertex) { property, at in
                if let axis = axes.firstIndex(of: property) { found[axis] = at }
            }
            for axis in 0..<3 {
                coordinates[3 * i + axis] = Float(types[axis].load(raw.baseAddress!, at: found[axis], bigEndian: bigEndian))
            }
        }
        return coordinates
    }
}
