import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DDetection

/// `CoverageGaps`: scores around surface a scan lacks, against brute-force references.
@Suite struct CoverageGapsTests {
    @Test func medianSpacingIsTheMedianDistanceToTheNearestOtherPoint() throws {
        let scan = try SynthesisFixtures.bracketScan(seed: 3, bump: false)
        let points = (0..<scan.count).map { scan[$0] }
        let nearestOthers = points.indices.map { i in
            points.indices.filter { $0 != i }.map { SamplingReference.squaredDistance(points[i], points[$0]) }.min()!
        }.sorted()
        expectClose(try KDTree(scan).medianSpacing(at: scan), nearestOthers[nearestOthers.count / 2].squareRoot(), rtol: 1e-5)
    }

    @Test func cleanScansScoreZeroAndAHolesRimScoresByDistanceToTheUncoveredSurface() throws {
        let template = try SurfaceTemplate(scans: [SynthesisFixtures.bracketScan(seed: 1, bump: false)])
        #expect(try CoverageGaps.scores(of: SynthesisFixtures.bracketScan(seed: 2, bump: false), template: template, noiseBand: 0)
            .allSatisfy { $0 == 0 })
        let scan = try SynthesisFixtures.holedBracketScan(seed: 2, radius: 0.12)
        let scores = try CoverageGaps.scores(of: scan, template: template, noiseBand: 0)
        // Brute force: the scan's spacing (all its points: fewer than the sample), template points
        // with no scan point within reach on their tangent plane or with theirs through them, and
        // each scan point's distance to the nearest uncovered one.
        let points = (0..<scan.count).map { scan[$0] }
        let scanNormals = try NormalEstimation(neighborhood: .nearest(k: CoverageGaps.scanNormalNeighbors))(scan)
        let spacing = try KDTree(scan).medianSpacing(at: scan)
        let reach = CoverageGaps.uncoveredSpacings * spacing, band = CoverageGaps.offPlaneSpacings * spacing
        let uncovered = (0..<template.points.count).filter { t in
            let point = template.points[t]
            let normal = template.normal(at: t)
            return !points.indices.contains { s in
                SamplingReference.squaredDistance(point, points[s]) <= reach * reach
                    && (abs(((points[s] - point) * normal).sum()) <= band || abs(((points[s] - point) * scanNormals.normal(at: s)).sum()) <= band)
            }
        }.map { template.points[$0] }
        #expect(!uncovered.isEmpty && Float(uncovered.count) < 0.25 * Float(template.points.count))
        for (i, point) in points.enumerated() {
            let distance = uncovered.map { SamplingReference.squaredDistance(point, $0) }.min()!.squareRoot()
            expectClose(scores[i], max(0, CoverageGaps.reachSpacings - distance / spacing), rtol: 1e-4, atol: 1e-3)
        }
        #expect(scores.contains { $0 > 0 } && scores.contains { $0 == 0 })
    }

    @Test func theOtherSideOfAThinWallDoesNotCoverAHole() throws {
        // Two parallel sheets two point spacings apart (a thin wall); the scan lacks a disc of the top one.
        func wall(seed: UInt64, hole: Float) -> PointCloud {
            var generator = SeededGenerator(seed: seed)
            var points = [SIMD3<Float>]()
            for z: Float in [0, 0.2] {
                for i in 0..<40 {
                    for j in 0..<40 {
                        let x = Float(i) * 0.1 + generator.uniform(-0.02...0.02), y = Float(j) * 0.1 + generator.uniform(-0.02...0.02)
                        if z > 0, (x - 2) * (x - 2) + (y - 2) * (y - 2) < hole * hole { continue }
                        points.append([x, y, z + generator.uniform(-0.002...0.002)])
                    }
                }
            }
            return PointCloud(points: points)
        }
        let clean = wall(seed: 1, hole: 0)
        let template = try SurfaceTemplate(points: clean, normals: [Float]((0..<clean.count).flatMap { _ in [0, 0, 1] }))
        #expect(try CoverageGaps.scores(of: wall(seed: 2, hole: 0), template: template, noiseBand: 0).allSatisfy { $0 == 0 })
        let holed = wall(seed: 2, hole: 0.6)
        let scores = try CoverageGaps.scores(of: holed, template: template, noiseBand: 0)
        let rim = (0..<holed.count).filter { i in
            let p = holed[i], r = ((p.x - 2) * (p.x - 2) + (p.y - 2) * (p.y - 2)).squareRoot()
            return p.z > 0.1 && r < 0.8
        }
        #expect(!rim.isEmpty && rim.allSatisfy { scores[$0] > 0 }, "gap scores on the hole's rim: \(rim.map { scores[$0] })")
        // A noise band as wide as the wall lets the bottom sheet cover the hole again.
        #expect(try CoverageGaps.scores(of: holed, template: template, noiseBand: 0.25).allSatisfy { $0 == 0 })
    }

    @Test func aScanMissingMostOfTheTemplateIsNotScored() throws {
        let template = try SurfaceTemplate(scans: [SynthesisFixtures.bracketScan(seed: 1, bump: false)])
        let half = try SynthesisFixtures.holedBracketScan(seed: 2, radius: 0.6)
        #expect(half.count < template.points.count * 3 / 4)
        #expect(try CoverageGaps.scores(of: half, template: template, noiseBand: 0).allSatisfy { $0 == 0 })
    }
}
