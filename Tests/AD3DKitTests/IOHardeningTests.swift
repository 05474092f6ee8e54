import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DPointCloud

/// Regression tests for inputs a malformed-file campaign found to crash, hang, take memory in
/// proportion to a header's claim, or give misleading messages: each is the smallest such file.
@Suite struct IOHardeningTests {
    private func read(_ name: String, _ bytes: [UInt8]) throws -> ScanFile {
        try PointCloudReader.read(contents: bytes, url: URL(fileURLWithPath: "/data/\(name)"), meshSampleCount: 16)
    }

    private func error(_ name: String, _ bytes: [UInt8]) -> PointCloudIOError? {
        #expect(throws: PointCloudIOError.self) { try read(name, bytes) }
    }

    private let vertexXYZ = "element vertex 1\nproperty float x\nproperty float y\nproperty float z\n"

    @Test func shortNPYVersion2And3HeadersAreErrorsNotTraps() {
        for version: UInt8 in [2, 3] {
            for extra in 0..<2 {
                let bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0, 0x10, 0] + Array(repeating: 0, count: extra)
                let found = error("x.npy", bytes)
                #expect(found.map(caseName) == "invalidHeader")
                #expect(found?.localizedDescription.contains("-1") == false)
            }
        }
    }

    @Test func aNULByteInTextIsAnErrorNamingItsLine() {
        let cases: [(String, String)] = [
            ("header.xyz", "a\0b\n1 2 3\n"),
            ("trailing.xyz", "1 2 3 \0"),
            ("solid.stl", "solid x\n\0"),
            ("list.ply", "ply\nformat ascii 1.0\nelement vertex 1\nproperty list uchar int i\nproperty float x\n"
                + "property float y\nproperty float z\nend_header\n4000000000 1\0"),
            ("body.pcd", "VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS 1\n"
                + "DATA ascii\n1 2\0 3\n"),
            ("mesh.off", "OFF\n3 1 0\n0 0 0\n1 0 0\n0 1\0 0\n3 0 1 2\n"),
            ("mesh.obj", "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2\0 3\n"),
        ]
        for (name, text) in cases {
            let found = error(name, Array(text.utf8))
            #expect(found.map(caseName) == "invalidValue", "\(name)")
            #expect(found?.localizedDescription.contains("NUL byte") == true, "\(name)")
        }
        let lastLine = error("body.pcd", Array(cases[4].1.utf8))?.localizedDescription
        #expect(lastLine?.contains("body.pcd:10:") == true)
    }

    @Test func anElementWithoutPropertiesIsSkippedWhateverItsCount() throws {
        let text = "ply\nformat ascii 1.0\nelement junk 1000000000000\n" + vertexXYZ + "end_header\n1 2 3\n"
        let scan = try read("junk.ply", Array(text.utf8))
        #expect(scan.cloud.coordinates == [1, 2, 3])
    }

    @Test func pcdRecordsLargerThanTheFileAreRefusedBeforeAllocating() {
        let extra = (0..<300).map { "f\($0)" }.joined(separator: " ")
        let text = "VERSION 0.7\nFIELDS x y z \(extra)\nSIZE \(Array(repeating: "4", count: 303).joined(separator: " "))\n"
            + "TYPE \(Array(repeating: "F", count: 303).joined(separator: " "))\n"
            + "COUNT 1 1 1 \(Array(repeating: "1048576", count: 300).joined(separator: " "))\n"
            + "WIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA ascii\n1 2 3\n"
        let found = error("wide.pcd", Array(text.utf8))
        #expect(found.map(caseName) == "invalidHeader")
        #expect(found?.localizedDescription.contains("314572803 values") == true)
    }

    @Test func aHeaderLineOfManyNamesKeepsOnlyTheFirstOnes() throws {
        let text = Array(repeating: "a", count: 100_000).joined(separator: " ") + "\n1 2 3\n"
        let scan = try read("wide.xyz", Array(text.utf8))
        #expect(scan.fields.count == XYZFormat.maximumHeaderNames + 1)
        #expect(scan.fields.last == "… \(100_000 - XYZFormat.maximumHeaderNames) more")
    }

    @Test func foldersPipesAndDevicesAreNamedAsSuch() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appendingPathComponent("scan.ply")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let pipe = directory.appendingPathComponent("pipe.ply")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        let device = directory.appendingPathComponent("zero.xyz")
        try FileManager.default.createSymbolicLink(atPath: device.path, withDestinationPath: "/dev/zero")
        for (url, words) in [(folder, "folder"), (pipe, "not a regular file"), (device, "not a regular file")] {
            let found = #expect(throws: PointCloudIOError.self) { try PointCloudReader.read(url) }
            #expect(found.map(caseName) == "cannotRead")
            #expect(found?.localizedDescription.contains(words) == true, "\(url.lastPathComponent)")
            #expect(found?.localizedDescription.contains("NSCocoaErrorDomain") == false)
        }
        let model = #expect(throws: SafeTensorsError.self) { try SafeTensors.read(folder) }
        #expect(model?.localizedDescription.contains("folder") == true)
    }

    @Test func misleadingMessagesSayWhatIsWrong() {
        let long = "ply\nformat ascii 1.0\n" + String(repeating: "comment x\n", count: 120_000)
        #expect(error("long.ply", Array(long.utf8))?.localizedDescription.contains("first 1 MiB") == true)
        let list = "ply\nformat ascii 1.0\nelement vertex 1\nproperty list uchar int i\nproperty float x\nproperty float y\n"
            + "property float z\nend_header\n-3 1 2 3\n"
        let negative = error("list.ply", Array(list.utf8))?.localizedDescription
        #expect(negative?.contains("list length -3") == true)
        #expect(negative?.contains("list.ply:9:") == true)
        let bare = error("scan", Array("1 2 3\n".utf8))?.localizedDescription
        #expect(bare?.contains("no extension") == true)
        #expect(bare?.contains("'.'") == false)
    }

    @Test func controlCharactersFromTheFileAreEscapedInMessages() throws {
        let text = "ply\nformat ascii 1.0\n" + vertexXYZ + "end_header\n1 2 \u{1B}[31mred\r\n"
        let message = try #require(error("escape.ply", Array(text.utf8))?.localizedDescription)
        #expect(message.contains("\\u{1B}[31mred"))
        #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control })
        let header = try #require(error("cr.ply", Array("ply\nformat ascii\r\u{7}\n".utf8))?.localizedDescription)
        #expect(!header.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func coordinatesTooLargeForDistancesAreRefusedOnRead() {
        let stl = "solid s\nfacet normal 0 0 1\nouter loop\nvertex 3e38 0 0\nvertex -3e38 0 0\nvertex 0 3e38 0\n"
            + "endloop\nendfacet\nendsolid s\n"
        #expect(error("huge.stl", Array(stl.utf8)).map(caseName) == "coordinateOutOfRange")
        let off = "OFF\n3 1 0\n0 0 0\n1e20 0 0\n0 1 0\n3 0 1 2\n"
        #expect(error("huge.off", Array(off.utf8)).map(caseName) == "coordinateOutOfRange")
        #expect(error("huge.xyz", Array("1 2 3\n-2e12 0 0\n".utf8)).map(caseName) == "coordinateOutOfRange")
    }
}
