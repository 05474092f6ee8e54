import Testing
import AD3DKit
@testable import AD3DPointCloud

@Suite struct SamplingFPSTests {
    /// A uniform cloud plus points inside the Point-MAE skip ball (|p|² ≤ 1e-3), index 0 among them.
    static func cloudWithNearOriginPoints() -> PointCloud {
        var points = [SIMD3<Float>(0.001, 0, 0)]
        let uniform = SamplingReference.uniformCloud(count: 1200, seed: 5)
        points += (0..<uniform.count).map { uniform[$0] }
        points += (0..<30).map { i in SIMD3(Float(i) * 0.001, -0.01, 0.02) }
        return PointCloud(points: points)
    }

    static let clouds: [(name: String, cloud: PointCloud)] = [
        ("uniform", SamplingReference.uniformCloud(count: 1500, extent: 3, seed: 2)),
        ("grid with duplicates", SamplingReference.gridCloud(side: 8)),
        ("near origin", cloudWithNearOriginPoints()),
    ]

    @Test(arguments: [FarthestPointSampling.Mode.standard, .pointMAE], [0, 17])
    func matchesNaiveKernel(mode: FarthestPointSampling.Mode, start: Int) throws {
        for (name, cloud) in Self.clouds {
            let expected = SamplingReference.naiveFarthestPoints(cloud, count: 96, start: start, pointMAE: mode == .pointMAE)
            let serial = try FarthestPointSampling.sample(cloud, count: 96, start: start, mode: mode)
            let parallel = try FarthestPointSampling.sample(
                cloud, count: 96, start: start, mode: mode, minimumParallelChunk: 64)
            #expect(serial == expected, "\(name)")
            #expect(parallel == expected, "\(name) parallel")
        }
    }

    @Test func pointMAEModeNeverPicksNearOriginPoints() throws {
        let cloud = Self.cloudWithNearOriginPoints()
        let chosen = try FarthestPointSampling.sample(cloud, count: 200, mode: .pointMAE)
        #expect(chosen.first == 0)
        #expect(chosen.dropFirst().allSatisfy { cloud[$0].x * cloud[$0].x + cloud[$0].y * cloud[$0].y + cloud[$0].z * cloud[$0].z > 1e-3 })
        #expect(Set(chosen).count == 200)
    }

    @Test(arguments: [FarthestPointSampling.Mode.standard, .pointMAE])
    func repeatsWhenMoreSamplesThanPoints(mode: FarthestPointSampling.Mode) throws {
        let cloud = SamplingReference.uniformCloud(count: 20, seed: 8)
        let chosen = try FarthestPointSampling.sample(cloud, count: 30, mode: mode)
        #expect(chosen == SamplingReference.naiveFarthestPoints(cloud, count: 30, pointMAE: mode == .pointMAE))
        #expect(Set(chosen.prefix(20)).count == 20)
        #expect(chosen.suffix(10).allSatisfy { $0 == 0 })
    }

    @Test func allPointsSkippedGivesIndexZero() throws {
        let cloud = PointCloud(points: (0..<10).map { SIMD3(Float($0) * 0.001, 0, 0) })
        #expect(try FarthestPointSampling.sample(cloud, count: 4, start: 3, mode: .pointMAE) == [3, 0, 0, 0])
    }

    @Test func handlesTrivialCountsAndRejectsBadInput() throws {
        let cloud = SamplingReference.uniformCloud(count: 10, seed: 4)
        #expect(try FarthestPointSampling.sample(cloud, count: 0).isEmpty)
        #expect(try FarthestPointSampling.sample(cloud, count: 1, start: 9) == [9])
        #expect(throws: SamplingError.self) { try FarthestPointSampling.sample(cloud, count: -1) }
        #expect(throws: SamplingError.self) { try FarthestPointSampling.sample(cloud, count: 2, start: 10) }
        #expect(throws: SamplingError.emptyCloud(operation: "farthest point sampling")) {
            try FarthestPointSampling.sample(PointCloud(coordinates: []), count: 1)
        }
        #expect(throws: SamplingError.nonFiniteCoordinate(operation: "farthest point sampling", pointIndex: 1)) {
            try FarthestPointSampling.sample(PointCloud(points: [.one, SIMD3(.nan, 0, 0)]), count: 2)
        }
    }
}
