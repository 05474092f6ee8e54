import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DSynthesis
@testable import AD3DEvaluation
@testable import AD3DDetection

/// The smooth warp (`SmoothWarp`, `PointToPlaneICP.warp`) and the non-rigid surface template:
/// it takes up a smooth difference between clean instances and leaves a bump standing.
@Suite struct SurfaceWarpTests {
    /// `scan` deformed by the synthesis generator's smooth instance variation (an independent
    /// deformation model: other centres and fall-off than the warp's nodes).
    private func varied(_ scan: PointCloud, amplitude: Float, seed: UInt64) -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        let box = scan.boundingBox!, size = box.max - box.min
        let variation = InstanceVariation(
            amplitude: amplitude, center: (box.min + box.max) / 2, diagonal: (size * size).sum().squareRoot(), using: &generator)
        return PointCloud(points: (0..<scan.count).map { variation.apply(scan[$0]) }, labels: scan.labels)
    }

    @Test func aWarpMovesPointsByGaussianWeightedDisplacements() {
        let nodes: [SIMD3<Float>] = [[0, 0, 0], [2, 0, 0]], displacements: [SIMD3<Float>] = [[0, 0, 1], [0, 0.5, 0]]
        let warp = SmoothWarp(nodes: nodes, displacements: displacements, radius: 1)
        let cloud = PointCloud(points: [[0, 0, 0], [1, 0, 0], [2, 1, 0]], labels: [0, 1, 0])
        let moved = warp.apply(to: cloud)
        for i in 0..<cloud.count {
            var expected = cloud[i]
            for k in 0..<2 {
                let d = cloud[i] - nodes[k]
                expected += Float(Foundation.exp(-Double((d * d).sum()) / 2)) * displacements[k]
            }
            for c in 0..<3 { expectClose(moved[i][c], expected[c], rtol: 1e-6, atol: 1e-7) }
        }
        #expect(moved.labels == cloud.labels)
        #expect(SmoothWarp.identity(nodes: nodes, radius: 1).apply(to: cloud) == cloud)
    }

    @Test func aNonRigidTemplateTakesUpASmoothDeformationButNotABump() throws {
        let train = try (1...2).map { try SynthesisFixtures.bracketScan(seed: $0, bump: false) }
        let rigid = try SurfaceTemplate(scans: train), warped = try SurfaceTemplate(scans: train, nonRigid: true)
        #expect(!rigid.isNonRigid && warped.isNonRigid)
        let bumped = varied(try SynthesisFixtures.bracketScan(seed: 21, bump: true), amplitude: 0.04, seed: 5)
        let labels = bumped.labels!
        let rigidDeviations = try rigid.deviations(of: bumped), warpedDeviations = try warped.deviations(of: bumped)
        func cleanMedian(_ deviations: [Float]) -> Float {
            let clean = deviations.indices.filter { labels[$0] == 0 }.map { deviations[$0] }.sorted()
            return clean[clean.count / 2]
        }
        #expect(cleanMedian(warpedDeviations) < 0.5 * cleanMedian(rigidDeviations),
                "clean median deviation \(cleanMedian(warpedDeviations)) warped, \(cleanMedian(rigidDeviations)) rigid")
        let rigidAUROC = try #require(try areaUnderROC(scores: rigidDeviations, labels: labels))
        let warpedAUROC = try #require(try areaUnderROC(scores: warpedDeviations, labels: labels))
        // The fixture's bump is wide (15% of the diagonal), so the warp takes up a little of it too.
        #expect(warpedAUROC > 0.85 && warpedAUROC > rigidAUROC + 0.05, "bump AUROC \(warpedAUROC) warped, \(rigidAUROC) rigid")
    }

    @Test func warpedDeviationsDoNotDependOnTheBLASThreadCount() throws {
        // OpenBLAS rounds a product's last bits differently for another thread count; the warp's
        // normal equations must come out the same whether the BLAS is free or held to one thread
        // (`ad3d infer --jobs 1` or `--jobs 2`).
        let train = try (1...2).map { try SynthesisFixtures.bracketScan(seed: $0, bump: false) }
        let template = try SurfaceTemplate(scans: train, nonRigid: true)
        let scan = varied(try SynthesisFixtures.bracketScan(seed: 21, bump: true), amplitude: 0.04, seed: 5)
        let free = try template.deviations(of: scan)
        #expect(try BLASRuntime.singleThreaded { try template.deviations(of: scan) } == free)
    }

    @Test func trainingWarpsOnlyWhereCleanInstancesDiffer() throws {
        let same = try (10..<13).map { try SynthesisFixtures.bracketScan(seed: $0, bump: false) }
        let differing = same.enumerated().map { varied($1, amplitude: 0.04, seed: UInt64($0)) }
        #expect(try !SurfaceTemplate.calibrated(scans: same, warp: .auto).template.isNonRigid)
        let auto = try SurfaceTemplate.calibrated(scans: differing, warp: .auto)
        let rigid = try SurfaceTemplate.calibrated(scans: differing, warp: .never)
        #expect(auto.template.isNonRigid && !rigid.template.isNonRigid)
        #expect(auto.statistics.standardDeviation * SurfaceWarpPolicy.shrinkage < rigid.statistics.standardDeviation)
        #expect(try SurfaceTemplate.calibrated(scans: same, warp: .always).template.isNonRigid)
        // One scan shows nothing about how clean parts differ: never warped.
        #expect(try !SurfaceTemplate.calibrated(scans: [differing[0]], warp: .always).template.isNonRigid)
    }
}
