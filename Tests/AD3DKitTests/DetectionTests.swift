import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DSynthesis
@testable import AD3DDetection

@Suite struct DetectionTests {
    private func randomCloud(_ count: Int, seed: UInt64, scale: Float = 1) -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        return PointCloud(coordinates: (0..<3 * count).map { _ in scale * generator.nextGaussian() })
    }

    @Test func interpolationEqualsBruteForceInverseDistanceWeighting() throws {
        let points = randomCloud(200, seed: 1), centers = randomCloud(20, seed: 2)
        var generator = SeededGenerator(seed: 3)
        let scores = (0..<20).map { _ in generator.nextGaussian() }
        let result = try PatchScoreInterpolation(neighbors: 3).pointScores(for: points, centers: centers, scores: scores)
        var expected = [Float]()
        for i in 0..<points.count {
            let ranked = (0..<centers.count).map { g -> (Float, Int) in
                let d = points[i] - centers[g]
                return ((d * d).sum(), g)
            }.sorted { $0 < $1 }.prefix(3)
            let weights = ranked.map { 1 / ($0.0 + 1e-8) }
            expected.append(zip(weights, ranked).map { $0 * scores[$1.1] }.reduce(0, +) / weights.reduce(0, +))
        }
        expectClose(result, expected, rtol: 1e-4, atol: 1e-5)
        let nearest = try PatchScoreInterpolation(neighbors: 1).pointScores(for: centers, centers: centers, scores: scores)
        expectClose(nearest, scores)
    }

    @Test func frameCentresAndScales() {
        let cloud = PointCloud(coordinates: [0, 0, 0, 2, 0, 0, 2, 4, 0, 0, 4, 4])
        let scale = ScanFrame.categoryScale(of: [cloud])
        #expect(abs(scale - (4 + 16 + 16 as Float).squareRoot()) < 1e-6)
        let normalised = ScanFrame(mode: .centroid, scale: 2).normalise(cloud)
        expectClose(normalised.coordinates, [-0.5, -1, -0.5, 0.5, -1, -0.5, 0.5, 1, -0.5, -0.5, 1, 1.5])
        #expect(ScanFrame(mode: .none, scale: 2).normalise(cloud).coordinates == cloud.coordinates.map { $0 / 2 })
    }

    @Test func objectScoreRules() {
        let scores = (0..<300).map { Float($0) }
        #expect(ObjectScoreRule.max.objectScore(of: scores) == 299)
        #expect(ObjectScoreRule.topPercent.objectScore(of: scores) == (299 + 298 + 297) / 3)
    }

    @Test func augmentationIsSeededAndBounded() throws {
        let cloud = randomCloud(500, seed: 4)
        let augmentation = TrainingAugmentation(pose: .aligned)
        var a = SeededGenerator(seed: 9), b = SeededGenerator(seed: 9)
        let first = try augmentation.apply(to: cloud, copy: 1, pointCount: 300, using: &a)
        #expect(first == (try augmentation.apply(to: cloud, copy: 1, pointCount: 300, using: &b)))
        #expect(first.count == 300)
        // Rotation keeps norms; scale ±2% and jitter move them only a little.
        let maxNorm = { (c: PointCloud) in (0..<c.count).map { ((c[$0] * c[$0]).sum()).squareRoot() }.max() ?? 0 }
        #expect(maxNorm(first) <= maxNorm(cloud) * 1.03 + 0.01)
    }

    @Test func partialViewsKeepTheSensorFacingHalfOfEverySecondCopy() throws {
        // A unit sphere: the outward normal of p is p, so the visible points are those with p · sensor > 0.
        var generator = SeededGenerator(seed: 2)
        let sphere = PointCloud(points: (0..<2000).map { _ in SynthesisGeometry.randomDirection(using: &generator) })
        var augmentation = TrainingAugmentation(pose: .aligned)
        augmentation.partialViews = true
        var a = SeededGenerator(seed: 5)
        let full = try augmentation.apply(to: sphere, copy: 0, pointCount: 5000, using: &a)
        #expect(full.count == 2000, "even copies stay complete")
        var b = SeededGenerator(seed: 5)
        let view = try TrainingAugmentation.singleView(of: sphere, using: &b)
        #expect(view.count > 850 && view.count < 1150, "about half of the sphere faces the sensor, got \(view.count)")
        var c = SeededGenerator(seed: 5)
        let sensor = SynthesisGeometry.randomDirection(using: &c)
        let facing = (0..<view.count).filter { (view[$0] * sensor).sum() > -0.05 }
        #expect(facing.count == view.count, "every kept point faces the sensor")
    }

    @Test func heatColorsSpanTheRamp() {
        #expect(HeatColormap.color(at: 0) == SIMD3(0, 0, 255))
        #expect(HeatColormap.color(at: 1) == SIMD3(255, 0, 0))
        #expect(HeatColormap.color(at: 0.5) == SIMD3(0, 255, 0))
        let colors = HeatColormap.colors(for: (0..<101).map(Float.init))
        #expect(colors.first == SIMD3(0, 0, 255) && colors.last == SIMD3(255, 0, 0))
        #expect(HeatColormap.colors(for: [3, 3, 3]).count == 3)
    }

    @Test func parallelMapKeepsOrderAndRethrowsTheFirstError() throws {
        #expect(try ParallelMap.map(count: 50, workers: 4) { $0 * $0 } == (0..<50).map { $0 * $0 })
        struct Failure: Error, Equatable { let index: Int }
        #expect(throws: Failure(index: 7)) {
            _ = try ParallelMap.map(count: 20, workers: 3) { i -> Int in
                if i == 7 || i == 12 { throw Failure(index: i) }
                return i
            }
        }
    }
}
