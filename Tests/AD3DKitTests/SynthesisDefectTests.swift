import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DSynthesis

/// Defects change the clean sample locally, and labels mark exactly the points that moved more
/// than the threshold (or the rim of a hole), checked against the same seeded clean sample.
@Suite struct SynthesisDefectTests {
    /// Parts × displacement defects.
    static let cases: [(ProceduralPart, DefectKind)] = [ProceduralPart.bracket, .shaft, .gear].flatMap { part in
        [DefectKind.bulge, .sink, .crack, .cut, .bend].map { (part, $0) }
    }

    /// A clean sample of `part` and the defect applied to it (deterministic).
    private func defect(
        _ kind: DefectKind, on part: ProceduralPart, fraction: Double = 0.03, counted: [Bool]? = nil
    ) throws -> (clean: SurfaceSample, defected: DefectedSample, threshold: Float, sampler: SurfaceSampler) {
        let sampler = try SynthesisFixtures.sampler(part)
        var generator = SeededGenerator(seed: 21)
        let clean = sampler.sample(count: 4000, using: &generator)
        let threshold = 0.005 * sampler.diagonal
        for attempt in 0..<5 {
            var drawGenerator = generator.split(stream: UInt64(attempt))
            if let defected = DefectSynthesizer.apply(
                kind, to: clean, counted: counted, targetFraction: fraction, threshold: threshold,
                area: sampler.area, using: &drawGenerator)
            {
                return (clean, defected, threshold, sampler)
            }
        }
        Issue.record("no \(kind) draw succeeded on \(part)")
        throw CancellationError()
    }

    @Test(arguments: cases)
    func labelsMarkExactlyThePointsThatMoved(part: ProceduralPart, kind: DefectKind) throws {
        let (clean, defected, threshold, _) = try defect(kind, on: part)
        #expect(defected.kept.allSatisfy { $0 }, "only holes remove points")
        var labelled = 0
        for i in clean.positions.indices {
            let moved = SynthesisFixtures.distance(defected.positions[i], clean.positions[i])
            if defected.labels[i] == 1 {
                labelled += 1
                #expect(moved > threshold, "labelled point \(i) moved only \(moved)")
            } else {
                #expect(moved <= threshold, "unlabelled point \(i) moved \(moved)")
            }
        }
        let fraction = Double(labelled) / Double(clean.count)
        #expect(fraction > 0.015 && fraction < 0.06, "\(kind) on \(part): fraction \(fraction) for target 0.03")
        #expect(defected.parameters.kind == kind)
    }

    @Test(arguments: [ProceduralPart.bracket, .bottle, .knob])
    func bulgesMoveOutAndSinksMoveInLocally(part: ProceduralPart) throws {
        for kind in [DefectKind.bulge, .sink] {
            let (clean, defected, _, _) = try defect(kind, on: part)
            let parameters = defected.parameters
            let direction = try #require(parameters.direction), radius = try #require(parameters.radius)
            for i in clean.positions.indices where defected.labels[i] == 1 {
                let step = defected.positions[i] - clean.positions[i]
                // Along the recorded direction, which is the seed normal (outward for a bulge).
                #expect(SynthesisFixtures.distance(step / (step * step).sum().squareRoot(), direction) < 1e-3)
                #expect(SynthesisFixtures.distance(clean.positions[i], parameters.center) < radius)
                #expect((clean.normals[i] * direction).sum() * (kind == .bulge ? 1 : -1) > -0.2)
            }
        }
    }

    @Test func crackLabelsHugTheGrooveAndGoInward() throws {
        let (clean, defected, _, _) = try defect(.crack, on: .bracket)
        let path = try #require(defected.parameters.path), width = try #require(defected.parameters.width)
        #expect(path.count >= 3)
        for i in clean.positions.indices where defected.labels[i] == 1 {
            let p = clean.positions[i]
            let nearest = zip(path, path.dropFirst()).map { a, b -> Float in
                let ab = b - a, t = min(max(((p - a) * ab).sum() / (ab * ab).sum(), 0), 1)
                return SynthesisFixtures.distance(p, a + t * ab)
            }.min() ?? .infinity
            #expect(nearest < width)
            #expect(((defected.positions[i] - p) * clean.normals[i]).sum() < 0, "a crack goes into the surface")
        }
    }

    @Test func bendRotatesOneSideRigidly() throws {
        let (clean, defected, _, _) = try defect(.bend, on: .shaft)
        let angle = try #require(defected.parameters.angleDegrees)
        #expect(abs(angle) >= 2 && abs(angle) <= 6)
        let moved = clean.positions.indices.filter { defected.positions[$0] != clean.positions[$0] }
        // Distances between moved points are preserved (a rotation), to float precision.
        for (a, b) in zip(moved, moved.dropFirst(7)) {
            let before = SynthesisFixtures.distance(clean.positions[a], clean.positions[b])
            let after = SynthesisFixtures.distance(defected.positions[a], defected.positions[b])
            #expect(abs(before - after) < 1e-3 * max(before, 1))
        }
        // The moved points are all on one side of the plane through the axis point.
        let normal = try #require(defected.parameters.direction), point = defected.parameters.center
        #expect(moved.allSatisfy { ((clean.positions[$0] - point) * normal).sum() > -1e-3 })
    }

    @Test(arguments: [ProceduralPart.bracket, .flange, .bottle])
    func holeRemovesARegionAndLabelsItsRim(part: ProceduralPart) throws {
        let (clean, defected, _, _) = try defect(.hole, on: part)
        let center = defected.parameters.center
        let radius = try #require(defected.parameters.radius), band = try #require(defected.parameters.width)
        #expect(radius > 0 && band > 0)
        var removed = 0, rim = 0
        for i in clean.positions.indices {
            let d = SynthesisFixtures.distance(clean.positions[i], center)
            #expect(defected.positions[i] == clean.positions[i], "a hole moves nothing")
            if !defected.kept[i] {
                removed += 1
                #expect(d < radius)
                #expect(defected.labels[i] == 0)
            } else {
                #expect(d >= radius, "no point remains inside the hole")
                #expect((defected.labels[i] == 1) == (d < radius + band), "rim label at distance \(d)")
                if defected.labels[i] == 1 { rim += 1 }
            }
        }
        #expect(removed > 0 && rim > 0)
        let fraction = Double(rim) / Double(clean.count)
        #expect(fraction > 0.015 && fraction < 0.06, "rim fraction \(fraction) for target 0.03")
    }

    @Test func countedPointsSteerTheDefectAndItsSize() throws {
        // Only points with x > mid count: the defect must sit there and hit the target among them.
        let sampler = try SynthesisFixtures.sampler(.bracket)
        var generator = SeededGenerator(seed: 5)
        let clean = sampler.sample(count: 4000, using: &generator)
        let counted = clean.positions.map { $0.x > sampler.center.x }
        for kind in [DefectKind.bulge, .hole, .cut] {
            var draw = SeededGenerator(seed: 9)
            let defected = try #require(DefectSynthesizer.apply(
                kind, to: clean, counted: counted, targetFraction: 0.04, threshold: 0.005 * sampler.diagonal,
                area: sampler.area, using: &draw))
            #expect(defected.parameters.center.x > sampler.center.x - 1e-3)
            let countedLabels = clean.positions.indices.filter { counted[$0] && defected.labels[$0] == 1 }.count
            let share = Double(countedLabels) / Double(counted.filter { $0 }.count)
            #expect(share > 0.025 && share < 0.06, "\(kind): \(share) of counted points labelled")
        }
    }
}
