import AD3DSupport
import Foundation

/// Reading and writing PCD v0.7 files (ascii, binary and binary_compressed data).
enum PCDFormat {
    /// Reads the x/y/z coordinates of every point; other fields are skipped.
    static func read(_ file: SourceFile) throws -> ScanFile {
        let header = try PCDHeader(file: file)
        let axes = try ["x", "y", "z"].map { try header.fieldIndex($0, path: file.path) }
        guard header.points > 0 else { throw PointCloudIOError.noPoints(path: file.path) }
        let coordinates: [Float]
        switch header.encoding {
        case .ascii: coordinates = try readASCII(file, header: header, axes: axes)
        case .binary: coordinates = try readBinary(file, header: header, axes: axes)
        case .binaryCompressed: coordinates = try readCompressed(file, header: header, axes: axes)
        }
        try requireUsableCoordinates(coordinates, path: file.path)
        return ScanFile(
            url: file.url, format: .pcd, encoding: header.encoding.rawValue,
            fields: header.fields.map(\.name), cloud: PointCloud(coordinates: coordinates))
    }

    private static func readASCII(_ file: SourceFile, header: PCDHeader, axes: [Int]) throws -> [Float] {
        let valueCount = header.valuesPerPoint
        let path = file.path
        let available = file.bytesAvailable(from: header.dataOffset)
        // Every value takes at least one character and one separator.
        guard valueCount <= available / 2 + 1 else {
            throw PointCloudIOError.invalidHeader(
                path: path, problem: "each point declares \(valueCount) values (the sum of COUNT), "
                    + "more than the \(available) bytes of data can hold")
        }
        // The value columns that hold x, y and z.
        let axisColumns = axes.map { header.valueOffset(ofField: $0) }
        try file.requireText(from: header.dataOffset)
        return try file.bytes.withUnsafeBufferPointer { buffer in
            var scanner = TextScanner(buffer, from: header.dataOffset, line: header.dataLine)
            let plausible = available / (2 * valueCount) + 1
            var coordinates = [Float]()
            coordinates.reserveCapacity(3 * min(header.points, plausible))
            var point = SIMD3<Float>()
            for index in 0..<header.points {
                guard scanner.skipEmptyLines() else {
                    throw PointCloudIOError.countMismatch(path: path, what: "points", expected: header.points, found: index)
                }
                for column in 0..<valueCount {
                    let role = axisColumns.firstIndex(of: column) ?? -1
                    if role >= 0, let value = scanner.float() {
                        point[role] = value
                    } else if role < 0, scanner.token() != nil {
                        continue
                    } else {
                        throw valueError(&scanner, path: path, column: column, expected: valueCount)
                    }
                }
                guard scanner.atLineEnd() else {
                    throw PointCloudIOError.invalidValue(
                        path: path, line: scanner.line, problem: "more than the \(valueCount) values the header declares")
                }
                coordinates.append(point.x); coordinates.append(point.y); coordinates.append(point.z)
                scanner.nextLine()
            }
            var extra = 0
            while scanner.skipEmptyLines() {
                extra += 1
                scanner.nextLine()
            }
            guard extra == 0 else {
                throw PointCloudIOError.countMismatch(
                    path: path, what: "points", expected: header.points, found: header.points + extra)
            }
            return coordinates
        }
    }

    private static func readBinary(_ file: SourceFile, header: PCDHeader, axes: [Int]) throws -> [Float] {
        let recordSize = header.bytesPerPoint
        let available = file.bytesAvailable(from: header.dataOffset)
        guard let needed = checkedProduct(header.points, recordSize), needed <= available else {
            throw PointCloudIOError.truncatedData(
                path: file.path, expectedBytes: checkedProduct(header.points, recordSize) ?? .max, availableBytes: available)
        }
        let starts = axes.map { header.byteOffset(ofField: $0) }
        return file.bytes.withUnsafeBytes { raw in
            gatherCoordinates(
                raw.baseAddress! + header.dataOffset, points: header.points, types: axes.map { header.fields[$0].type },
                starts: starts, strides: [recordSize, recordSize, recordSize], bigEndian: false)
        }
    }

    private static func readCompressed(_ file: SourceFile, header: PCDHeader, axes: [Int]) throws -> [Float] {
        let path = file.path
        let available = file.bytesAvailable(from: header.dataOffset)
        guard available >= 8 else {
            throw PointCloudIOError.truncatedData(path: path, expectedBytes: 8, availableBytes: available)
        }
        let (compressedSize, uncompressedSize) = file.bytes.withUnsafeBytes { raw in
            (Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: header.dataOffset, as: UInt32.self))),
             Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: header.dataOffset + 4, as: UInt32.self))))
        }
        guard compressedSize <= available - 8 else {
            throw PointCloudIOError.truncatedData(path: path, expectedBytes: 8 + compressedSize, availableBytes: available)
        }
        let expected = checkedProduct(header.points, header.bytesPerPoint) ?? .max
        guard uncompressedSize == expected else {
            throw PointCloudIOError.invalidHeader(
                path: path, problem: "compressed block announces \(uncompressedSize) bytes but POINTS × record size is \(expected)")
        }
        // One LZF chunk of at most 3 bytes expands to at most 264 bytes: anything larger is a lie.
        guard uncompressedSize <= 88 * compressedSize + 32 else {
            throw PointCloudIOError.corruptCompressedData(
                path: path, problem: "\(compressedSize) compressed bytes cannot expand to \(uncompressedSize)")
        }
        let data: [UInt8]
        do {
            data = try file.bytes.withUnsafeBytes { raw in
                try LZF.decompress(
                    UnsafeRawBufferPointer(rebasing: raw[(header.dataOffset + 8)..<(header.dataOffset + 8 + compressedSize)]),
                    outputSize: uncompressedSize)
            }
        } catch let error as LZF.DecodingError {
            throw PointCloudIOError.corruptCompressedData(path: path, problem: error.description)
        }
        // binary_compressed stores fields one after another (all x, then all y, …).
        let starts = axes.map { header.points * header.byteOffset(ofField: $0) }
        return data.withUnsafeBytes { raw in
            gatherCoordinates(
                raw.baseAddress!, points: header.points, types: axes.map { header.fields[$0].type },
                starts: starts, strides: axes.map { header.fields[$0].type.size * header.fields[$0].count },
                bigEndian: false)
        }
    }

    private static func valueError(_ scanner: inout TextScanner, path: String, column: Int, expected: Int)
        -> PointCloudIOError
    {
        if let token = scanner.token() {
            return .invalidValue(path: path, line: scanner.line, problem: "'\(scanner.text(token))' is not a number")
        }
        return .invalidValue(path: path, line: scanner.line, problem: "only \(column) of the \(expected) declared values")
    }

    /// The bytes of a PCD file holding `cloud` as float x/y/z, in ascii or binary data.
    static func encode(_ cloud: PointCloud, binary: Bool) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.appendASCII("""
            # .PCD v0.7 - Point Cloud Data file format
            VERSION 0.7
            FIELDS x y z
            SIZE 4 4 4
            TYPE F F F
            COUNT 1 1 1
            WIDTH \(cloud.count)
            HEIGHT 1
            VIEWPOINT 0 0 0 1 0 0 0
            POINTS \(cloud.count)
            DATA \(binary ? "binary" : "ascii")

            """)
        if binary {
            bytes.reserveCapacity(bytes.count + 4 * cloud.coordinates.count)
            for value in cloud.coordinates { bytes.appendLittleEndian(value) }
        } else {
            bytes.appendDecimalRows(cloud.coordinates, columns: 3)
        }
        return bytes
    }
}
