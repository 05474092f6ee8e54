import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DEvaluation
@testable import AD3DDetection

/// `SurfaceTemplate` (the clean surface pooled from training scans) and the SCA detector's
/// surface deviation term.
@Suite struct SurfaceTemplateTests {
    /// `scan` turned by `degrees` about z and shifted by `shift`.
    private func tilted(_ scan: PointCloud, degrees: Float, shift: SIMD3<Float>) -> PointCloud {
        RigidTransform(axis: SIMD3(0, 0, 1), angle: degrees * .pi / 180, translation: shift).apply(to: scan)
    }

    @Test func deviationsAreDistancesToTheNearestOfTheNearestTemplatePointsTangentPlanes() throws {
        let template = try SurfaceTemplate(scans: (1...2).map { try SynthesisFixtures.bracketScan(seed: $0, bump: false) })
        #expect(template.points.count == 3000)
        for i in 0..<template.points.count {
            let normal = template.normal(at: i)
            expectClose((normal * normal).sum(), 1, rtol: 1e-4)
        }
        // The template's own points with every 100th pushed off: the refining ICP fits the rest
        // exactly (identity), so every deviation (checked for every 10th point) is the brute-force
        // point-to-plane distance, the least over the three nearest template points.
        var points = (0..<template.points.count).map { template.points[$0] }
        for i in stride(from: 0, to: points.count, by: 100) { points[i] += SIMD3(0.3, -0.2, 0.5) }
        let deviations = try template.deviations(of: PointCloud(points: points))
        for i in stride(from: 0, to: points.count, by: 10) {
            let point = points[i]
            let distances = (0..<template.points.count).map { SamplingReference.squaredDistance(point, template.points[$0]) }
            let nearest = distances.indices.sorted { distances[$0] < distances[$1] }.prefix(SurfaceTemplate.planeCandidates)
            let planeDistance = nearest.map { j -> Float in
                let normal = template.normal(at: j)
                return abs(((point - template.points[j]) * normal).sum())
            }.min()!
            let expected: Float = template.rim?[nearest.first!] == true ? 0 : planeDistance
            expectClose(deviations[i], expected, rtol: 1e-3, atol: 1e-3)
        }
        #expect(deviations.enumerated().filter { $0.offset % 100 != 0 }.allSatisfy { $0.element < 1e-3 })
    }

    @Test func partialTrainingScansStayWhereTheyLieAndSurfaceBeyondTheirRimIsUnknown() throws {
        // Two views of a bracket seated in one place that overlap in a band, as a fixture's views do.
        let part = try SynthesisFixtures.bracketScan(seed: 1, bump: false)
        let box = try #require(part.boundingBox), low = box.min.x, size = box.max.x - box.min.x
        let first = part.selecting((0..<part.count).filter { part[$0].x < low + 0.6 * size })
        let second = part.selecting((0..<part.count).filter { part[$0].x > low + 0.4 * size })
        let (template, _, _) = try SurfaceTemplate.calibrated(scans: [first, second])
        // The template pools their points where they lay, to within the ICP's own small error (an
        // ICP of all the second view's points slid it by 8% of the diagonal).
        let pooled = try KDTree(part).nearest(k: 1, to: template.points)
        let farthest = pooled.squaredDistances.max()!.squareRoot()
        #expect(farthest < 0.005 * size, "a template point \(farthest / size) diagonals from where the views lay")
        // A fixture's views of a bracket leave each other gaps, so their template has a rim, and
        // clean deviations come out near the sensor noise (0.0005 of the diagonal); complete scans'
        // templates have no rim.
        let views = try SynthesisFixtures.fixtureViews(of: .bracket, count: 4, seed: 1)
        let fixture = try SurfaceTemplate.calibrated(scans: views)
        let fixtureSize = SynthesisFixtures.diagonal(views[0])
        #expect(fixture.uncoveredFraction > CoverageGaps.largestCleanUncoveredFraction && fixture.template.rim != nil)
        #expect(fixture.statistics.standardDeviation < 0.002 * fixtureSize, "\(fixture.statistics.standardDeviation / fixtureSize) diagonals")
        let complete = try (2...3).map { try SynthesisFixtures.bracketScan(seed: UInt64($0), bump: false) }
        #expect(try SurfaceTemplate.calibrated(scans: complete).template.rim == nil)
        // Against the first view alone, the rest of the part lies beyond the rim: unknown, 0;
        // well inside, deviations are the clean ones.
        let half = try SurfaceTemplate(scans: [first]).withRim()
        let deviations = half.deviations(ofMoved: part)
        let beyond = (0..<part.count).filter { part[$0].x > low + 0.75 * size }
        let inside = (0..<part.count).filter { part[$0].x < low + 0.45 * size }
        #expect(beyond.filter { deviations[$0] == 0 }.count > beyond.count * 3 / 4)
        #expect(inside.filter { deviations[$0] < 0.01 * size }.count > inside.count * 99 / 100)
        #expect(try #require(half.rim).filter { $0 }.count < half.points.count / 5)
    }

    @Test func heldOutCleanScansSetTheScaleAndABumpStandsFarOutside() throws {
        // Three clean training scans, two of them slightly tilted and shifted: the template aligns them.
        let clean = try (0..<3).map { try SynthesisFixtures.bracketScan(seed: 10 + UInt64($0), bump: false) }
        let size = SynthesisFixtures.diagonal(clean[0])
        let train = clean.enumerated().map { tilted($1, degrees: Float($0), shift: SIMD3(0.005 * size * Float($0), 0, 0)) }
        let (template, statistics, uncovered) = try SurfaceTemplate.calibrated(scans: train)
        #expect(uncovered <= CoverageGaps.largestCleanUncoveredFraction)
        #expect(template.points.count == 4500)
        #expect(statistics.mean > 0 && statistics.mean < 0.01 * size && statistics.standardDeviation > 0)
        // Another clean scan, tilted too, lies within the clean scale; a bumped one's bump does not.
        let good = try template.deviations(of: tilted(SynthesisFixtures.bracketScan(seed: 20, bump: false), degrees: -1, shift: .zero))
        #expect(good.sorted()[good.count / 2] < statistics.mean + statistics.standardDeviation)
        let bumped = try SynthesisFixtures.bracketScan(seed: 21, bump: true)
        let deviations = try template.deviations(of: bumped)
        let auroc = try #require(try areaUnderROC(scores: deviations, labels: bumped.labels!))
        #expect(auroc > 0.9, "point AUROC \(auroc) of the deviations on the bumped scan")
    }

    /// Support: each template point's fraction of the training scans covering it, against a
    /// brute-force count (a template point is covered when a scan point lies within 4 of the scan's
    /// spacings and on its tangent plane; the three clean scans here are one surface, so only the
    /// half-scan's missing half lacks support).
    @Test func supportIsTheFractionOfTrainingScansCoveringEachTemplatePoint() throws {
        let clean = try (0..<2).map { try SynthesisFixtures.bracketScan(seed: 10 + UInt64($0), bump: false) }
        let x = clean[0].boundingBox!, middle = (x.min.x + x.max.x) / 2
        let half = clean[1].selecting((0..<clean[1].count).filter { clean[1][$0].x < middle })
        let (template, _, _) = try SurfaceTemplate.calibrated(scans: [clean[0], half, clean[1]])
        let support = try #require(template.support)
        #expect(support.count == template.points.count)
        let far = (0..<template.points.count).filter { template.points[$0].x > middle + 0.05 * SynthesisFixtures.diagonal(clean[0]) }
        let near = (0..<template.points.count).filter { template.points[$0].x < middle - 0.05 * SynthesisFixtures.diagonal(clean[0]) }
        #expect(!far.isEmpty && !near.isEmpty)
        // Beyond the half scan's edge two of three scans cover a point; well inside it all three.
        let farSupport = far.map { support[$0] }, nearSupport = near.map { support[$0] }
        #expect(farSupport.filter { abs($0 - 2.0 / 3) < 1e-6 }.count > 9 * far.count / 10, "\(Set(farSupport))")
        #expect(nearSupport.filter { $0 == 1 }.count > 9 * near.count / 10, "\(Set(nearSupport))")
        // One scan: no support (every point counts).
        #expect(try SurfaceTemplate.calibrated(scans: [clean[0]]).template.support == nil)
    }

    @Test func aSingleScanIsCalibratedOnItsOwnHalves() throws {
        let clean = try SynthesisFixtures.bracketScan(seed: 10, bump: false)
        let size = SynthesisFixtures.diagonal(clean)
        let (template, statistics, uncovered) = try SurfaceTemplate.calibrated(scans: [clean])
        #expect(uncovered <= CoverageGaps.largestCleanUncoveredFraction)
        #expect(template.points.count == clean.count)
        #expect(statistics.standardDeviation > 0 && statistics.mean > 0 && statistics.mean < 0.01 * size)
        // Another clean part lies within the scale of the halves; a bump stands outside (1500 points
        // per scan, and the bump's labels fade to zero height at its rim, hence 0.85).
        let good = try template.deviations(of: SynthesisFixtures.bracketScan(seed: 20, bump: false))
        #expect(good.sorted()[good.count / 2] < statistics.mean + statistics.standardDeviation)
        let bumped = try SynthesisFixtures.bracketScan(seed: 21, bump: true)
        let auroc = try #require(try areaUnderROC(scores: template.deviations(of: bumped), labels: bumped.labels!))
        #expect(auroc > 0.85, "point AUROC \(auroc) of the deviations on the bumped scan")
    }

    /// The configuration of a detector (memory read-out unless told) on a tiny random encoder, with
    /// or without surface deviation and coverage gaps.
    private func configuration(
        surface: Bool, gaps: Bool, warp: SurfaceWarpPolicy = .never, readout: SCAReadout = .memory
    ) -> SCAConfiguration {
        var encoder = PointMAEConfiguration.tiny
        encoder.groupCount = 64
        encoder.groupSize = 16
        return SCAConfiguration(
            encoder: encoder, encoderSource: "random tiny", frame: ScanFrame(mode: .centroid, scale: 1),
            encodedPoints: 1024, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 3,
            head: DetectorHeadConfiguration(), readout: readout, memoryRatio: 1, memoryPositionWeight: 5,
            surfaceDeviation: surface, coverageGaps: gaps, surfaceWarp: warp)
    }

    /// A detector trained on `count` clean bracket scans, with or without surface deviation and coverage gaps.
    private func trainedDetector(
        surface: Bool, count: Int = 3, gaps: Bool = false, warp: SurfaceWarpPolicy = .never, readout: SCAReadout = .memory
    ) throws -> SCADetector {
        let train = try (0..<count).map { try SynthesisFixtures.bracketScan(seed: 10 + UInt64($0), bump: false) }
        let configuration = configuration(surface: surface, gaps: gaps, warp: warp, readout: readout)
        let encoder = try RandomEncoder.fitted(
            configuration: configuration.encoder, seed: 1, scans: train, frameMode: .centroid, encodedPoints: 1024)
        return try SCATrainer.train(scans: train, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
    }

    @Test func surfaceDeviationSharpensTheDetectorsBumpScores() throws {
        let withSurface = try trainedDetector(surface: true), without = try trainedDetector(surface: false)
        #expect(withSurface.surface != nil && without.surface == nil)
        let bumped = try SynthesisFixtures.bracketScan(seed: 32, bump: true), good = try SynthesisFixtures.bracketScan(seed: 30, bump: false)
        let scores = try withSurface.score(bumped), plain = try without.score(bumped)
        let auroc = try #require(try areaUnderROC(scores: scores.pointScores, labels: bumped.labels!))
        let plainAUROC = try #require(try areaUnderROC(scores: plain.pointScores, labels: bumped.labels!))
        #expect(auroc > 0.9 && auroc > plainAUROC, "point AUROC \(auroc) with the surface term, \(plainAUROC) without")
        #expect(scores.objectScore > (try withSurface.score(good)).objectScore)
        // One training scan keeps the term, calibrated on its own halves, and it still sharpens the bump.
        let single = try trainedDetector(surface: true, count: 1), singlePlain = try trainedDetector(surface: false, count: 1)
        #expect(single.surface != nil && single.configuration.surfaceDeviation)
        let singleAUROC = try #require(try areaUnderROC(scores: single.score(bumped).pointScores, labels: bumped.labels!))
        let singlePlainAUROC = try #require(try areaUnderROC(scores: singlePlain.score(bumped).pointScores, labels: bumped.labels!))
        #expect(singleAUROC > 0.8 && singleAUROC > singlePlainAUROC, "point AUROC \(singleAUROC) with one training scan, \(singlePlainAUROC) without the term")
    }

    @Test func coverageGapsSharpenTheScoresAroundAHole() throws {
        // A clean scan with a hole around its first point; the rim (a band of 5% of the diagonal) is labelled.
        let holed = try SynthesisFixtures.holedBracketScan(seed: 33, radius: 0.1, rim: 0.15), labels = holed.labels!
        let withGaps = try trainedDetector(surface: true, gaps: true), without = try trainedDetector(surface: true)
        let auroc = try #require(try areaUnderROC(scores: withGaps.score(holed).pointScores, labels: labels))
        let plainAUROC = try #require(try areaUnderROC(scores: without.score(holed).pointScores, labels: labels))
        #expect(auroc > 0.9 && auroc > plainAUROC, "rim point AUROC \(auroc) with coverage gaps, \(plainAUROC) without")
        #expect(try withGaps.score(holed).objectScore > without.score(holed).objectScore)
        // A clean scan has no gaps: the same scores either way.
        let good = try SynthesisFixtures.bracketScan(seed: 30, bump: false)
        #expect(try withGaps.score(good) == without.score(good))
    }

    @Test func trainingScansThatLeaveEachOtherGapsSwitchCoverageGapsOff() throws {
        // Each training scan lacks a different third of the part (along x), as single views do.
        let train = try (0..<3).map { part -> PointCloud in
            let scan = try SynthesisFixtures.bracketScan(seed: 10 + UInt64(part), bump: false)
            let box = try #require(scan.boundingBox)
            let low = box.min.x + Float(part) * (box.max.x - box.min.x) / 3, high = low + (box.max.x - box.min.x) / 3
            return PointCloud(points: (0..<scan.count).map { scan[$0] }.filter { $0.x < low || $0.x > high })
        }
        #expect(try SurfaceTemplate.calibrated(scans: train).uncoveredFraction > CoverageGaps.largestCleanUncoveredFraction)
        let configuration = configuration(surface: true, gaps: true)
        let encoder = try RandomEncoder.fitted(configuration: configuration.encoder, seed: 1, scans: train, frameMode: .centroid, encodedPoints: 1024)
        let detector = try SCATrainer.train(scans: train, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
        #expect(detector.surface != nil && !detector.configuration.coverageGaps)
        #expect(try trainedDetector(surface: true, gaps: true).configuration.coverageGaps)
    }

    @Test func checkpointsCarryTheTemplateExactlyWhenTheyUseIt() throws {
        let detector = try trainedDetector(surface: true, gaps: true)
        let checkpoint = try detector.checkpoint()
        let loaded = try SCADetector(checkpoint: checkpoint)
        let scan = try SynthesisFixtures.bracketScan(seed: 32, bump: true)
        #expect(try loaded.score(scan) == detector.score(scan) && loaded.configuration.coverageGaps)
        // A non-rigid template comes back non-rigid and scores the same.
        let warped = try trainedDetector(surface: true, warp: .always)
        let warpedLoaded = try SCADetector(checkpoint: warped.checkpoint())
        #expect(warped.configuration.surfaceWarp == .always && warpedLoaded.surface?.isNonRigid == true)
        #expect(try warpedLoaded.score(scan) == warped.score(scan))
        #expect(try trainedDetector(surface: true, warp: .auto).configuration.surfaceWarp == .never)
        // The support travels with the template, and a corrupt one is refused.
        #expect(loaded.surface?.support == detector.surface?.support && detector.surface?.support != nil)
        var corrupt = checkpoint
        corrupt.tensors[SCADetector.surfaceNames.support] = Tensor(shape: [3], storage: [0, 1, 2])
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: corrupt) }
        var withoutSupport = checkpoint
        withoutSupport.tensors[SCADetector.surfaceNames.support] = nil
        #expect(try SCADetector(checkpoint: withoutSupport).surface?.support == nil)
        // So does a rim (a template of complete scans has none), and a corrupt one is refused.
        #expect(detector.surface?.rim == nil && loaded.surface?.rim == nil)
        let rimmed = SCADetector(
            configuration: detector.configuration, encoder: detector.encoder, head: nil, memory: detector.memory,
            registration: detector.registration, surface: try #require(detector.surface).withRim())
        #expect(try SCADetector(checkpoint: rimmed.checkpoint()).surface?.rim == rimmed.surface?.rim && rimmed.surface?.rim != nil)
        let templateSize = try #require(detector.surface?.points.count)
        for bad in [Tensor(shape: [3], storage: [0, 1, 0]), Tensor(shape: [templateSize], storage: [Float](repeating: 0.5, count: templateSize))] {
            var corruptRim = checkpoint
            corruptRim.tensors[SCADetector.surfaceNames.rim] = bad
            #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: corruptRim) }
        }
        for name in [SCADetector.surfaceNames.points, SCADetector.surfaceNames.normals] {
            var missing = checkpoint
            missing.tensors[name] = nil
            #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: missing) }
        }
        var unexpected = checkpoint
        var configuration = loaded.configuration
        configuration.surfaceDeviation = false
        unexpected.configuration = try TextFormatting.json(configuration)
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: unexpected) }
        // Models written before the surface template (coverage gaps, the non-rigid template) decode without it.
        let json = Data(try TextFormatting.json(loaded.configuration).utf8)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["surfaceDeviation"] = nil
        object["surfaceStatistics"] = nil
        object["coverageGaps"] = nil
        object["surfaceWarp"] = nil
        let older = try JSONDecoder().decode(SCAConfiguration.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(!older.surfaceDeviation && older.surfaceStatistics == ScoreStatistics(mean: 0, standardDeviation: 1) && !older.coverageGaps)
        #expect(older.surfaceWarp == .never)
    }

    @Test func readoutNoneScoresBySurfaceTermsAloneWithoutAnEncoder() throws {
        let surfaceOnly = try trainedDetector(surface: true, gaps: true, readout: .none)
        let learned = try trainedDetector(surface: true, gaps: true)
        #expect(surfaceOnly.encoder == nil && surfaceOnly.memory == nil && surfaceOnly.head == nil)
        let template = try #require(surfaceOnly.surface)
        #expect(template.points == learned.surface?.points && surfaceOnly.configuration.coverageGaps)
        // Every point scores its standardised deviation plus its gap score, nothing else.
        let scan = try SynthesisFixtures.bracketScan(seed: 32, bump: true)
        let moved = try template.moved(surfaceOnly.configuration.frame.normalise(scan))
        let gaps = try CoverageGaps.scores(
            of: moved, template: template, noiseBand: CoverageGaps.noiseBand(of: surfaceOnly.configuration.surfaceStatistics))
        let expected = zip(template.deviations(ofMoved: moved), gaps).map { surfaceOnly.configuration.surfaceStatistics.standardized($0) + $1 }
        let scores = try surfaceOnly.score(scan)
        #expect(scores.pointScores == expected)
        #expect(scores.objectScore == surfaceOnly.configuration.objectScore.objectScore(of: expected))
        #expect(try learned.score(scan).pointScores != expected)
        let auroc = try #require(try areaUnderROC(scores: scores.pointScores, labels: scan.labels!))
        #expect(auroc > 0.85, "point AUROC \(auroc) of the surface terms alone")
        // Its checkpoint carries no encoder, scores the same once loaded, and refuses one.
        var checkpoint = try surfaceOnly.checkpoint()
        #expect(!checkpoint.tensors.keys.contains { $0.hasPrefix("encoder.") })
        #expect(try SCADetector(checkpoint: checkpoint).score(scan) == scores)
        checkpoint.tensors.merge(try learned.checkpoint().tensors.filter { $0.key.hasPrefix("encoder.") }) { old, _ in old }
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: checkpoint) }
    }

    @Test func readoutNoneWithoutSurfaceDeviationIsRefused() throws {
        #expect(throws: SCATrainingError.nothingToScore) { try trainedDetector(surface: false, readout: .none) }
    }
}

/// Gaps in single views count only surface every training scan covered (`SurfaceTemplate.support`).
@Suite struct ViewGapSupportTests {
    /// A flat 60 × 60 grid (spacing 1, normals +z) whose half x < 30 only half the training scans covered.
    private func template() throws -> SurfaceTemplate {
        let points = (0..<3600).map { SIMD3<Float>(Float($0 % 60), Float($0 / 60), 0) }
        return try SurfaceTemplate(
            points: PointCloud(points: points), normals: points.flatMap { _ in [Float(0), 0, 1] },
            support: points.map { $0.x < 30 ? 0.5 : 1 })
    }

    /// The gap scores of the template's own points less a disc of radius 5 about `centre`, seen from above.
    private func gapScores(holeAt centre: SIMD2<Float>, template: SurfaceTemplate) throws -> [Float] {
        let kept = (0..<template.points.count).map { template.points[$0] }.filter {
            let d = SIMD2($0.x, $0.y) - centre
            return (d * d).sum() > 25
        }
        let view = PointCloud(points: kept)
        let coverage = try CoverageGaps.coverage(by: view, template: template, noiseBand: 0.1)
        return try ViewGaps(template: template).scores(of: view, coverage: coverage, template: template, sensor: SIMD3(30, 30, 60))
    }

    @Test func aHoleWhereEveryTrainingScanSawSurfaceScoresAndOneWhereSomeDidNotDoesNot() throws {
        let template = try template()
        #expect(try gapScores(holeAt: SIMD2(45, 30), template: template).max()! > 8)
        #expect(try gapScores(holeAt: SIMD2(15, 30), template: template).max()! == 0)
    }
}
