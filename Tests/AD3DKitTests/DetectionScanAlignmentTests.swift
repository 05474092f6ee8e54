import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DDetection

/// `ScanAlignment`: how far a category's scans lie from each other in the model frame.
@Suite struct DetectionScanAlignmentTests {
    /// Brute-force median nearest distance from every point of `a` to `b`, both divided by `scale`.
    private func medianGap(_ a: PointCloud, _ b: PointCloud, scale: Float) -> Float {
        let distances = (0..<a.count).map { i in
            (0..<b.count).map { j in SamplingReference.squaredDistance(a[i] / scale, b[j] / scale) }.min()!.squareRoot()
        }
        return distances.sorted()[distances.count / 2]
    }

    /// The bounding-box diagonal of `cloud`, computed naively.
    private func diagonal(_ cloud: PointCloud) -> Float {
        let points = (0..<cloud.count).map { cloud[$0] }
        let low = points.reduce(points[0]) { pointwiseMin($0, $1) }, high = points.reduce(points[0]) { pointwiseMax($0, $1) }
        let size = high - low
        return (size * size).sum().squareRoot()
    }

    @Test func gapMatchesBruteForceWhenEveryPointIsSampled() throws {
        let scans = (0..<3).map { SamplingReference.uniformCloud(count: 150, extent: 1 + Float($0) / 10, seed: UInt64($0 + 1)) }
        let scale = scans.map(diagonal).reduce(0, +) / 3
        let pairs = (0..<3).map { medianGap(scans[$0], scans[($0 + 1) % 3], scale: scale) }.sorted()
        let gap = try #require(try ScanAlignment.gap(of: scans, mode: .none, samplePoints: 1000, seed: 1))
        expectClose(gap, pairs[1], rtol: 1e-4)
        #expect(try ScanAlignment.gap(of: [scans[0]], mode: .none, seed: 1) == nil)
    }

    @Test func rotatedCopiesAreFarAndShiftedCopiesAreNotInTheCentroidFrame() throws {
        // A flat, elongated slab: turned a quarter around z it no longer overlaps itself.
        var generator = SeededGenerator(seed: 3)
        let slab = PointCloud(points: (0..<2000).map { _ in
            SIMD3(generator.nextUnitFloat() * 4, generator.nextUnitFloat(), generator.nextUnitFloat() * 0.1)
        })
        let shifted = PointCloud(points: (0..<slab.count).map { slab[$0] + SIMD3(5, -2, 1) })
        let turned = PointCloud(points: (0..<slab.count).map { SIMD3(-slab[$0].y, slab[$0].x, slab[$0].z) })
        let aligned = try #require(try ScanAlignment.gap(of: [slab, shifted], mode: .centroid, seed: 4))
        let rotated = try #require(try ScanAlignment.gap(of: [slab, turned], mode: .centroid, seed: 4))
        #expect(aligned < 1e-5)
        #expect(rotated > 0.1)
    }
}
