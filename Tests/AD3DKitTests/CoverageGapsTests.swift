import Testing
@testable import AD3DKit

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
        let template = try SynthesisFixtures.bracketScan(seed: 1, bump: false)
        #expect(try CoverageGaps.scores(of: SynthesisFixtures.bracketScan(seed: 2, bump: false), template: template).allSatisfy { $0 == 0 })
        let scan = try SynthesisFixtures.holedBracketScan(seed: 2, radius: 0.12)
        let scores = try CoverageGaps.scores(of: scan, template: template)
        // Brute force: the scan's spacing (all its points: fewer than the sample), uncovered
        // template points, and each scan point's distance to the nearest of them.
        let points = (0..<scan.count).map { scan[$0] }
        let spacing = try KDTree(scan).medianSpacing(at: scan)
        let uncovered = (0..<template.count).map { template[$0] }.filter { t in
            points.map { SamplingReference.squaredDistance(t, $0) }.min()! > (CoverageGaps.uncoveredSpacings * spacing) * (CoverageGaps.uncoveredSpacings * spacing)
        }
        #expect(!uncovered.isEmpty && Float(uncovered.count) < 0.25 * Float(template.count))
        for (i, point) in points.enumerated() {
            let distance = uncovered.map { SamplingReference.squaredDistance(point, $0) }.min()!.squareRoot()
            expectClose(scores[i], max(0, CoverageGaps.reachSpacings - distance / spacing), rtol: 1e-4, atol: 1e-3)
        }
        #expect(scores.contains { $0 > 0 } && scores.contains { $0 == 0 })
    }

    @Test func aScanMissingMostOfTheTemplateIsNotScored() throws {
        let template = try SynthesisFixtures.bracketScan(seed: 1, bump: false)
        let half = try SynthesisFixtures.holedBracketScan(seed: 2, radius: 0.6)
        #expect(half.count < template.count * 3 / 4)
        #expect(try CoverageGaps.scores(of: half, template: template).allSatisfy { $0 == 0 })
    }
}
