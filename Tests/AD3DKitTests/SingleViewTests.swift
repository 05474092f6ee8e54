import Foundation
import Testing

import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DSynthesis
@testable import AD3DDetection

/// Single views scored against complete training scans: recognised as views, placed in their true
/// pose (or, for a symmetric part, one that fits as well).
@Suite struct SingleViewTests {
    /// Scans of `part` in the part's own frame: complete training scans and test scans that are
    /// single views (`partialView`), good ones only.
    private static func scans(of part: ProceduralPart, views partialView: PartialViewMode) throws -> (train: [PointCloud], tests: [PointCloud]) {
        try SynthesisFixtures.goodScans(of: part, views: partialView, trainCount: 3, goodCount: 3, seed: 4)
    }

    /// The surface-only detector (no encoder) of `train`.
    private static func detector(_ train: [PointCloud]) throws -> SCADetector {
        let configuration = SCAConfiguration(
            encoder: .tiny, encoderSource: "none", frame: ScanFrame(mode: .centroid, scale: 1), encodedPoints: 1024,
            augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 1, head: DetectorHeadConfiguration(),
            readout: .none, surfaceDeviation: true, coverageGaps: true)
        let encoder = try PointMAEEncoder(configuration: .tiny, seed: 1)
        return try SCATrainer.train(scans: train, encoder: encoder, configuration: configuration, seed: 3)
    }

    @Test func partialScansInOnePlaceKeepTheirCoordinatesAndCompleteScansAreCentred() throws {
        let complete = try Self.scans(of: .knob, views: .none).train
        #expect(try ScanAlignment.preferredFrame(of: complete, seed: 1) == .centroid)
        // Scans of a part held in one place that each show a different share of it across its
        // widest extent: their coordinates agree, their centroids do not.
        let partial = try complete.enumerated().map { index, scan in
            let box = try #require(scan.boundingBox), size = box.max - box.min
            let axis = size.x >= max(size.y, size.z) ? 0 : (size.y >= size.z ? 1 : 2)
            let cut = box.min[axis] + (0.2 + 0.15 * Float(index)) * size[axis]
            return scan.selecting((0..<scan.count).filter { scan[$0][axis] > cut })
        }
        #expect(try ScanAlignment.preferredFrame(of: partial, seed: 1) == .none)
    }

    @Test func singleViewsAreRecognisedAndCompleteScansAreNot() throws {
        let complete = try Self.scans(of: .bracket, views: .none), views = try Self.scans(of: .bracket, views: .test)
        let detector = try Self.detector(complete.train)
        let frame = detector.configuration.frame
        for scan in complete.tests { #expect(try !detector.showsView(frame.normalise(scan))) }
        for scan in views.tests { #expect(try detector.showsView(frame.normalise(scan))) }
    }

    @Test func onlyShortFitsThatPlaceTheScanApartAreRefined() throws {
        let scan = try SynthesisFixtures.bracketScan(seed: 1, bump: false)
        func shifted(_ x: Float) -> RigidTransform {
            RigidTransform(rotation: RigidTransform.identity.rotation, translation: SIMD3(x, 0, 0))
        }
        // Short fits best first: three land in one place (within a thousandth), then five apart.
        let offsets: [Float] = [0, 0.001, -0.001, 0.5, 1, 1.5, 2, 2.5]
        let coarse = offsets.enumerated().map { (transform: shifted($0.element), residual: Float($0.offset)) }
        let starts = try ViewPoses.distinctStarts(coarse, scan: scan)
        #expect(starts.map(\.residual) == [0, 3, 4, 5])
        #expect(starts.count == ViewPoses.refined)
    }

    @Test func aShortFitOntoPartOfTheTemplateBringsAScanBackInPlace() throws {
        let (train, _) = try Self.scans(of: .bracket, views: .none)
        let detector = try Self.detector(train)
        let template = try #require(detector.surface)
        #expect(template.points.count > SurfaceTemplate.coarseTargetPoints)
        // The template's own points, turned by 3° and shifted by a hundredth of the part.
        let scan = template.points, diagonal = scan.diagonal
        let start = RigidTransform(
            axis: SIMD3(1, 2, 3) / Float(14).squareRoot(), angle: 3 * .pi / 180, translation: SIMD3(0.01, -0.01, 0) * diagonal)
        let back = try template.coarseRefinement(of: start.apply(to: scan), from: .identity)
        let off = ViewPoses.meanDistance(back.apply(to: start.apply(to: scan)), scan) / diagonal
        #expect(off < 0.001, "\(off) diagonals from where it belongs")
    }

    @Test func aViewSearchedAgainOverMoreCandidatesFitsNoWorse() throws {
        let (train, tests) = try Self.scans(of: .bracket, views: .test)
        let detector = try Self.detector(train)
        let template = try #require(detector.surface), registration = try #require(detector.viewRegistration)
        for view in tests {
            let normalised = detector.configuration.frame.normalise(view)
            let candidates = try registration.candidates(for: normalised)
            #expect(candidates.count > ViewRegistration.candidates)
            // A clean residual of infinity never searches again; one of 0 always does.
            let first = try ViewPoses.fit(normalised, template: template, candidates: candidates, cleanResidual: .infinity)
            let wider = try ViewPoses.fit(normalised, template: template, candidates: candidates, cleanResidual: 0)
            #expect(wider[0].residual <= first[0].residual * 1.01, "\(wider[0].residual) searched again, \(first[0].residual) at first")
        }
    }

    @Test(arguments: [ProceduralPart.gear, .knob, .bracket])
    func aTurnedSingleViewLandsInItsTruePoseOrAnEquallyGoodOne(part: ProceduralPart) throws {
        let (train, tests) = try Self.scans(of: part, views: .test)
        let detector = try Self.detector(train)
        let template = try #require(detector.surface), registration = try #require(detector.viewRegistration)
        let frame = detector.configuration.frame
        let origin = train[0].centroid
        var generator = SeededGenerator(seed: 9)
        for view in tests {
            // Where the view belongs: the first training scan's frame, in which the template lies.
            let truth = PointCloud(coordinates: view.coordinates.enumerated().map { i, x in (x - origin[i % 3]) / frame.scale })
            let turned = RigidTransform(
                rotation: RigidTransform.randomRotation(using: &generator).rotation,
                translation: SIMD3(generator.uniform(-20...20), generator.uniform(-20...20), generator.uniform(-20...20)))
            let normalised = frame.normalise(turned.apply(to: view))
            let poses = try ViewPoses.fit(
                normalised, template: template, candidates: try registration.candidates(for: normalised),
                cleanResidual: detector.configuration.surfaceStatistics.mean)
            let truthResidual = try template.cappedResidual(of: try template.moved(truth))
            // Both parts are symmetric: any pose that fits as well as the true one is as good.
            #expect(poses[0].residual <= 1.5 * truthResidual + 1e-4, "\(part): residual \(poses[0].residual) vs \(truthResidual) in the true pose")
        }
    }
}
