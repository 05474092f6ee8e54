import Foundation
import Testing
import AD3DKit
@testable import AD3DPointCloud

/// Files written by numpy, plyfile, pypcd4 and hand-packed bytes read back to the expected points.
@Suite struct IOFixtureTests {
    @Test(arguments: IOFixtures.pointFixtures)
    func readsPointFixture(_ name: String) throws {
        let expected = try #require(IOFixtures.expected[name])
        let scan = try PointCloudReader.read(IOFixtures.url(name))
        #expect(scan.cloud.coordinates == flatFloats(expected.points!))
        #expect(scan.cloud.labels == expected.labels)
        #expect(scan.encoding == expected.encoding)
        #expect(scan.fields == expected.fields)
        #expect(scan.format == PointCloudFormat(url: IOFixtures.url(name)))
    }

    @Test(arguments: IOFixtures.meshFixtures)
    func readsMeshFixture(_ name: String) throws {
        let expected = try #require(IOFixtures.expected[name])
        let mesh = try PointCloudReader.readMesh(IOFixtures.url(name))
        #expect(mesh.vertices.flatMap { [$0.x, $0.y, $0.z] } == flatFloats(expected.vertices!))
        #expect(mesh.triangles.map { [$0.x, $0.y, $0.z] } == expected.triangles!)
        let scan = try PointCloudReader.read(IOFixtures.url(name), meshSampleCount: 500, seed: 9)
        #expect(scan.cloud.count == 500)
        #expect(scan.encoding == expected.encoding)
        #expect(scan.fields == expected.fields)
        // The fixture box spans [-2, 2] × [-1, 1] × [-0.5, 0.5]: every sample lies on a face.
        for i in 0..<scan.cloud.count {
            let p = scan.cloud[i]
            let onFace = abs(abs(p.x) - 2) < 1e-5 || abs(abs(p.y) - 1) < 1e-5 || abs(abs(p.z) - 0.5) < 1e-5
            #expect(onFace && abs(p.x) <= 2 && abs(p.y) <= 1 && abs(p.z) <= 0.5)
        }
    }

    @Test func readsTensorOfAnyRank() throws {
        let expected = try #require(IOFixtures.expected["tensor_rank3.npy"])
        let tensor = try NPYFile.read(IOFixtures.url("tensor_rank3.npy"))
        #expect(tensor.shape == expected.shape)
        #expect(tensor.storage == expected.values!.map(Float.init))
    }

    @Test func fortranOrderIsAClearError() throws {
        let url = IOFixtures.url("points_fortran.npy")
        let error = #expect(throws: PointCloudIOError.self) { try PointCloudReader.read(url) }
        #expect(error.map(caseName) == "unsupportedLayout")
        #expect(error?.localizedDescription.contains("points_fortran.npy") == true)
        #expect(error?.localizedDescription.contains("Fortran") == true)
    }

    @Test func detectsFormatsFromExtensions() {
        let cases: [(String, PointCloudFormat?)] = [
            ("a.PCD", .pcd), ("a.ply", .ply), ("a.xyz", .xyz), ("a.TXT", .xyz), ("a.csv", .xyz),
            ("a.npy", .npy), ("a.off", .off), ("a.Obj", .obj), ("a.stl", .stl), ("a.tiff", nil), ("noext", nil),
        ]
        for (name, format) in cases {
            let url = URL(fileURLWithPath: "/tmp/\(name)")
            #expect(PointCloudFormat(url: url) == format)
            #expect(PointCloudReader.isSupported(url) == (format != nil))
        }
    }
}
