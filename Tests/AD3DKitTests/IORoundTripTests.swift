import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DPointCloud

/// Every writer read back through the readers gives identical floats.
@Suite struct IORoundTripTests {
    @Test(arguments: PointCloudWriteFormat.allCases)
    func writerRoundTripsExactly(_ format: PointCloudWriteFormat) throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cloud = awkwardCloud()
        let url = directory.appendingPathComponent("cloud.\(format.fileExtension)")
        try PointCloudWriter.write(cloud, to: url, format: format)
        let scan = try PointCloudReader.read(url)
        #expect(scan.cloud.coordinates.map(\.bitPattern) == cloud.coordinates.map(\.bitPattern))
        #expect(scan.fields.prefix(3) == ["x", "y", "z"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers == ["cloud.\(format.fileExtension)"], "atomic writes leave no temporary file")
    }

    @Test func pcdHeadersFollowTheSpec() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cloud = PointCloud(coordinates: [1, 2, 3, 4.5, -5, 6e-7])
        for (format, data) in [(PointCloudWriteFormat.pcdASCII, "ascii"), (.pcdBinary, "binary")] {
            let url = directory.appendingPathComponent("\(data).pcd")
            try PointCloudWriter.write(cloud, to: url, format: format)
            let bytes = try Data(contentsOf: url)
            let header = """
                # .PCD v0.7 - Point Cloud Data file format
                VERSION 0.7
                FIELDS x y z
                SIZE 4 4 4
                TYPE F F F
                COUNT 1 1 1
                WIDTH 2
                HEIGHT 1
                VIEWPOINT 0 0 0 1 0 0 0
                POINTS 2
                DATA \(data)

                """
            #expect(bytes.starts(with: Array(header.utf8)))
            let body = bytes.dropFirst(header.utf8.count)
            if format == .pcdBinary {
                #expect(body.count == 24)
            } else {
                #expect(String(decoding: body, as: UTF8.self) == "1.0 2.0 3.0\n4.5 -5.0 6e-07\n")
            }
        }
    }

    @Test func plyCarriesScalarsAsScalarAndQualityAndColours() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let cloud = awkwardCloud(count: 5)
        let scalars: [Float] = [0, 0.25, 1, -3, 7.5]
        let colors = (0..<5).map { SIMD3<UInt8>(UInt8($0), UInt8(100 + $0), 255) }
        let url = directory.appendingPathComponent("scores.ply")
        try PointCloudWriter.write(cloud, to: url, format: .ply, scalars: scalars, colors: colors)
        let scan = try PointCloudReader.read(url)
        #expect(scan.encoding == "binary_little_endian")
        #expect(scan.fields == ["x", "y", "z", "scalar", "quality", "red", "green", "blue"])
        #expect(scan.cloud.coordinates.map(\.bitPattern) == cloud.coordinates.map(\.bitPattern))
        // Records are 12 + 4 + 4 + 3 bytes, after the header.
        let bytes = [UInt8](try Data(contentsOf: url))
        let body = Array(bytes.suffix(5 * 23))
        func float(_ bytes: ArraySlice<UInt8>) -> Float { Float(bitPattern: bytes.reversed().reduce(0) { $0 << 8 | UInt32($1) }) }
        for i in 0..<5 {
            let record = Array(body[(23 * i)..<(23 * i + 23)])
            #expect(float(record[12..<16]) == scalars[i])
            #expect(float(record[16..<20]) == scalars[i])
            #expect(Array(record[20..<23]) == [colors[i].x, colors[i].y, colors[i].z])
        }
    }

    @Test func textKeepsLabels() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var cloud = awkwardCloud(count: 6)
        cloud.labels = [0, 1, 1, 0, 0, 1]
        let url = directory.appendingPathComponent("gt.txt")
        try PointCloudWriter.write(cloud, to: url, format: .txt)
        let scan = try PointCloudReader.read(url)
        #expect(scan.cloud == cloud)
        #expect(scan.fields == ["x", "y", "z", "label"])
    }

    @Test func npyTensorRoundTripsAndMatchesNumpyLayout() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tensor = Tensor(shape: [2, 3, 4], storage: (0..<24).map { Float($0) / 7 })
        let url = directory.appendingPathComponent("t.npy")
        try NPYFile.write(tensor, to: url)
        #expect(try NPYFile.read(url) == tensor)
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }"))
        #expect(header.hasSuffix("\n"))
        #expect(bytes.count == 10 + headerLength + 4 * 24)
        let vector = Tensor(shape: [5], storage: [1, 2, 3, 4, 5])
        try NPYFile.write(vector, to: url)
        #expect(try NPYFile.read(url) == vector)
    }
}
