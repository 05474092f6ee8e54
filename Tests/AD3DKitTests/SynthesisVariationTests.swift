import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DSynthesis

/// Instance variation: a smooth deformation whose normals match finite differences and whose
/// instances differ from each other, with defects still carved to size.
@Suite struct SynthesisVariationTests {
    @Test func normalsFollowTheDeformedSurface() throws {
        // Reference: deform a tiny triangle around each point and take its cross product.
        var generator = SeededGenerator(seed: 5)
        let sampler = try SynthesisFixtures.sampler(.knob)
        let sample = sampler.sample(count: 200, using: &generator)
        let variation = InstanceVariation(amplitude: 0.05, center: sampler.center, diagonal: sampler.diagonal, using: &generator)
        let deformed = variation.apply(to: sample)
        let step = 1e-3 * sampler.diagonal
        var largestError: Float = 0, largestTurn: Float = 0
        for i in sample.positions.indices where sample.normals[i] != .zero {
            let p = sample.positions[i], n = sample.normals[i]
            let u = SynthesisGeometry.randomTangent(to: n, using: &generator), v = SynthesisGeometry.cross(n, u)
            let a = variation.apply(p), b = variation.apply(p + step * u), c = variation.apply(p + step * v)
            let reference = SynthesisGeometry.normalized(SynthesisGeometry.cross(b - a, c - a))
            #expect(SynthesisFixtures.distance(deformed.positions[i], a) < 1e-5 * sampler.diagonal)
            largestError = max(largestError, SynthesisFixtures.distance(deformed.normals[i], reference))
            largestTurn = max(largestTurn, SynthesisFixtures.distance(n, reference))
        }
        // First order in the displacement gradient: the error is far below the turn itself.
        #expect(largestTurn > 0.05, "the deformation turns some normals (\(largestTurn))")
        #expect(largestError < 0.2 * largestTurn, "normal error \(largestError) against a turn of \(largestTurn)")
    }

    @Test func displacementsScaleWithTheAmplitudeAndStaySmooth() throws {
        let sampler = try SynthesisFixtures.sampler(.bracket)
        var draw = SeededGenerator(seed: 2)
        let sample = sampler.sample(count: 2000, using: &draw)
        func displacements(_ amplitude: Float) -> [Float] {
            var generator = SeededGenerator(seed: 9)
            let variation = InstanceVariation(
                amplitude: amplitude, center: sampler.center, diagonal: sampler.diagonal, using: &generator)
            return sample.positions.map { SynthesisFixtures.distance(variation.apply($0), $0) / sampler.diagonal }
        }
        let small = displacements(0.01), large = displacements(0.03)
        for (s, l) in zip(small, large) { #expect(abs(l - 3 * s) < 1e-5) }
        #expect(small.max()! < 0.05 && small.max()! > 0.002, "largest displacement \(small.max()!) of the diagonal")
        #expect(displacements(0).allSatisfy { $0 == 0 })
    }

    @Test func instancesDifferAndDefectsAreStillCarved() throws {
        var settings = SynthesisFixtures.smallSettings
        settings.trainCount = 2
        settings.defectKinds = [.bulge]
        settings.noise = 0
        settings.points = 3000...3000
        let plain = try CategorySynthesizer(source: .part(.bracket), settings: settings)
        settings.variation = 0.02
        let varied = try CategorySynthesizer(source: .part(.bracket), settings: settings)
        // Without variation a noise-free scan lies on the part's surface (a dense sample of it);
        // with it, most points lie off it by about the amplitude.
        var dense = SeededGenerator(seed: 4)
        let surface = try KDTree(PointCloud(points: plain.sampler.sample(count: 100_000, using: &dense).positions))
        func medianOffset(_ synthesizer: CategorySynthesizer) throws -> Float {
            let scan = try synthesizer.scan(0).cloud
            let offsets = (0..<scan.count).map { surface.nearest(k: 1, to: scan[$0]).squaredDistances[0].squareRoot() }
            return offsets.sorted()[offsets.count / 2] / synthesizer.sampler.diagonal
        }
        let plainOffset = try medianOffset(plain), variedOffset = try medianOffset(varied)
        #expect(plainOffset < 0.003 && variedOffset > 0.005, "median offsets \(plainOffset) without, \(variedOffset) with variation")
        // The bulge is carved after the deformation: it is still labelled and within the size range.
        let bulge = try varied.scan(varied.plan.firstIndex { $0.defect == .bulge }!)
        #expect(settings.defectSize.contains(bulge.record.anomalousFraction))
        settings.variation = 0.5
        #expect(throws: SynthesisError.self) { try settings.validate() }
    }
}
