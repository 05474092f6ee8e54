import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DSynthesis
@testable import AD3DEvaluation
@testable import AD3DDetection

/// `RigidRegistration` and `PrincipalAxes`: bringing scans of one part in any pose onto a reference,
/// and the SCA detector that registers its scans.
@Suite struct RegistrationTests {
    /// `count` points on the surface of `part` (proportions from seed 1), sampled with `seed`.
    private func partCloud(_ part: ProceduralPart, count: Int, seed: UInt64) throws -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        return PointCloud(points: try SynthesisFixtures.sampler(part).sample(count: count, using: &generator).positions)
    }

    /// `cloud` turned by the rotation from `seed` and shifted by `shift`.
    private func moved(_ cloud: PointCloud, seed: UInt64, shift: SIMD3<Float>) -> PointCloud {
        let motion = RigidTransform(rotation: TensorLinearAlgebraTests.randomRotation(seed: seed), translation: shift)
        return motion.apply(to: cloud)
    }

    /// The largest distance between corresponding points of two clouds of equal size.
    private func largestDisplacement(_ a: PointCloud, _ b: PointCloud) -> Float {
        (0..<a.count).map { i in
            let d = a[i] - b[i]
            return (d * d).sum().squareRoot()
        }.max()!
    }

    @Test func matchingsAreTheTwentyFourProperSignedPermutations() {
        var seen = Set<[Double]>()
        for matching in PrincipalAxes.properMatchings {
            var m = [Double](repeating: 0, count: 9)
            for (row, match) in matching.enumerated() { m[3 * row + match.axis] = match.sign }
            let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
            #expect(det == 1)
            seen.insert(m)
        }
        #expect(PrincipalAxes.properMatchings.count == 24 && seen.count == 24)
    }

    @Test(arguments: [ProceduralPart.bracket, .flange, .knob], [UInt64(3), 4])
    func registrationUndoesAnyRotationOfAnotherScan(part: ProceduralPart, rotationSeed: UInt64) throws {
        // Reference and scan are independent samples of the same part; the scan arrives turned and shifted.
        let reference = try partCloud(part, count: 1500, seed: 1), scan = try partCloud(part, count: 1000, seed: 2)
        let registration = try RigidRegistration(reference: reference)
        let registered = try registration.register(moved(scan, seed: rotationSeed, shift: SIMD3(40, -7, 3)))
        let box = try #require(reference.boundingBox)
        let size = box.max - box.min, diagonal = (size * size).sum().squareRoot()
        // It fits the reference as well as the scan in its true pose does (brute-force nearest
        // distances to the reference, median and 95th percentile).
        func gaps(_ cloud: PointCloud) -> [Float] {
            (0..<cloud.count).map { i in
                (0..<reference.count).map { j in SamplingReference.squaredDistance(cloud[i], reference[j]) }.min()!.squareRoot()
            }.sorted()
        }
        let found = gaps(registered), truth = gaps(scan)
        for rank in [found.count / 2, found.count * 95 / 100] {
            #expect(found[rank] < 1.2 * truth[rank] + 1e-3 * diagonal)
        }
        #expect(try registration.alignment(of: scan).gap < 1.2 * truth[truth.count / 2] + 1e-3 * diagonal)
        // The bracket has no symmetry, so every point must also be back where it was; the flange
        // and the knob may legitimately land turned by one of their symmetries.
        if part == .bracket { #expect(largestDisplacement(registered, scan) < 0.02 * diagonal) }
    }

    @Test func aRoundPartIsTriedInEvenTurnsAboutItsAxisAndAnOddOneIsNot() throws {
        let flange = PrincipalAxes(of: try partCloud(.flange, count: 3000, seed: 1))
        let round = try #require(flange.roundAxis)
        #expect(round == 2, "a flange is a disc: round about its shortest axis")
        let motions = flange.startingMotions(from: PrincipalAxes(of: try partCloud(.flange, count: 2000, seed: 2)))
        #expect(motions.count == 2 * PrincipalAxes.roundTurns)
        // Every start lays the scan's round axis on the flange's, one way or the other.
        let axis = SIMD3<Float>(flange.axes[round])
        let scanAxes = PrincipalAxes(of: try partCloud(.flange, count: 2000, seed: 2))
        for motion in motions {
            let turned = motion.rotate(SIMD3<Float>(scanAxes.axes[round]))
            #expect(abs(abs((turned * axis).sum()) - 1) < 1e-4)
        }
        let bracket = PrincipalAxes(of: try partCloud(.bracket, count: 3000, seed: 1))
        #expect(bracket.roundAxis == nil)
        #expect(bracket.startingMotions(from: bracket).count == 24)
    }

    @Test func theReferenceItselfStaysPutAndKnowsItsSpacing() throws {
        let reference = try partCloud(.bracket, count: 1500, seed: 1)
        let registration = try RigidRegistration(reference: reference)
        #expect(largestDisplacement(try registration.register(reference), reference) < 1e-4)
        let nearestOthers = (0..<reference.count).map { i in
            (0..<reference.count).filter { $0 != i }.map { SamplingReference.squaredDistance(reference[i], reference[$0]) }.min()!
        }.sorted()
        expectClose(registration.spacing, nearestOthers[nearestOthers.count / 2].squareRoot(), rtol: 1e-5)
        expectClose(try registration.gap(of: reference), 0, rtol: 0, atol: 1e-6)
    }

    @Test func badCloudsAreRefused() throws {
        #expect(throws: SamplingError.self) { try RigidRegistration(reference: PointCloud(coordinates: [0, 0, 0, 1, 1, 1])) }
        let registration = try RigidRegistration(reference: try partCloud(.ring, count: 500, seed: 1))
        #expect(throws: SamplingError.self) { try registration.register(PointCloud(coordinates: [0, 0, 0, .nan, 1, 1, 2, 2, 2])) }
    }

    /// A memory-read-out detector on a tiny random encoder that registers onto `reference` as `policy` says.
    private func registeringDetector(reference: PointCloud, policy: RegistrationPolicy = .always) throws -> SCADetector {
        var encoderConfiguration = PointMAEConfiguration.tiny
        encoderConfiguration.groupCount = 16
        encoderConfiguration.groupSize = 8
        let encoder = try PointMAEEncoder(configuration: encoderConfiguration, seed: 1)
        let configuration = SCAConfiguration(
            encoder: encoderConfiguration, encoderSource: "random", frame: ScanFrame(mode: .centroid, scale: 1),
            encodedPoints: 256, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 2,
            head: DetectorHeadConfiguration(), readout: .memory, memoryPositionWeight: 5, registration: policy)
        let width = encoderConfiguration.featureDimensions
        let features = Tensor.gaussian([40, width], seed: 4), centers = Tensor.gaussian([40, 3], seed: 5)
        let (memory, _) = try PatchMemory.build(
            features: features, centers: centers, ratio: 0.5, positionWeight: 5, calibration: (features, centers), seed: 6)
        return SCADetector(
            configuration: configuration, encoder: encoder, head: nil, memory: memory,
            registration: try RigidRegistration(reference: reference))
    }

    @Test func aRegisteringDetectorScoresATurnedScanAsTheScanItself() throws {
        let scan = try partCloud(.bracket, count: 256, seed: 2)
        let reference = ScanFrame(mode: .centroid, scale: 1).normalise(scan)
        let detector = try registeringDetector(reference: reference)
        let upright = try detector.score(scan), turned = try detector.score(moved(scan, seed: 7, shift: SIMD3(1, 2, 3)))
        expectClose(turned.pointScores, upright.pointScores, rtol: 1e-3, atol: 1e-3)
        // Without the registration the turned scan lands elsewhere in the position-aware memory.
        var unregistered = detector.configuration
        unregistered.registration = .never
        let plain = SCADetector(configuration: unregistered, encoder: detector.encoder, head: nil, memory: detector.memory)
        #expect(try plain.score(moved(scan, seed: 7, shift: .zero)).pointScores != upright.pointScores)
    }

    @Test func onlyMisplacedScansAreRegisteredWhenThePolicySaysSo() throws {
        let scan = try partCloud(.bracket, count: 256, seed: 2)
        let reference = ScanFrame(mode: .centroid, scale: 1).normalise(scan)
        let detector = try registeringDetector(reference: reference, policy: .misplaced)
        var never = detector.configuration
        never.registration = .never
        let plain = SCADetector(configuration: never, encoder: detector.encoder, head: nil, memory: detector.memory)
        // Another scan in the reference pose (here shifted and tilted by 1°), which registration
        // cannot fit much better than it lies, is scored as it is, untouched ...
        let tilted = RigidTransform(axis: SIMD3(0, 0, 1), angle: .pi / 180, translation: SIMD3(4, 0, 0))
            .apply(to: try partCloud(.bracket, count: 256, seed: 3))
        #expect(try detector.score(tilted) == plain.score(tilted))
        // ... one in another pose is registered first.
        let registration = try #require(detector.registration)
        let turned = moved(scan, seed: 7, shift: SIMD3(1, 2, 3))
        let framed = ScanFrame(mode: .centroid, scale: 1).normalise(turned)
        #expect(try registration.alignment(of: framed).gap < RegistrationPolicy.improvement * registration.gap(of: framed))
        expectClose(try detector.score(turned).pointScores, try detector.score(scan).pointScores, rtol: 1e-3, atol: 1e-3)
    }

    @Test func overlapIsTheFractionOfPointsWithinReachOfTheReference() throws {
        var generator = SeededGenerator(seed: 5)
        let reference = PointCloud(points: (0..<500).map { _ in SIMD3(Float.random(in: 0...1, using: &generator), Float.random(in: 0...1, using: &generator), 0) })
        let cloud = PointCloud(points: (0..<400).map { _ in SIMD3(Float.random(in: 0...2, using: &generator), Float.random(in: 0...1, using: &generator), Float.random(in: -0.1...0.1, using: &generator)) })
        let reach: Float = 0.05
        let expected = (0..<cloud.count).filter { i in
            (0..<reference.count).contains { SamplingReference.squaredDistance(cloud[i], reference[$0]) <= reach * reach }
        }.count
        let overlap = try RigidRegistration(reference: reference).overlap(of: cloud, within: reach)
        #expect(overlap == Float(expected) / Float(cloud.count))
    }

    @Test func viewsOfAPartSeatedInAFixtureStayWhereTheyLie() throws {
        // A fixture's views of a bracket, each from the fixture's direction turned by up to 10°:
        // they lie off the first by their median gap (each shows much the first does not), and
        // principal axes, which say nothing about a view's pose, must not move them.
        let views = try SynthesisFixtures.fixtureViews(of: .bracket, count: 4, seed: 1)
        let registration = try RigidRegistration(reference: views[0])
        for view in views.dropFirst() {
            let placed = try RegistrationPolicy.misplaced.apply(registration, to: view)
            let reach = RegistrationPolicy.inPoseSpacings * registration.spacing
            #expect(try registration.overlap(of: placed, within: reach) >= registration.overlap(of: view, within: reach))
            #expect(placed == view)
        }
        // A view turned away is still brought back.
        let turned = moved(views[1], seed: 7, shift: SIMD3(1, 2, 3))
        #expect(try RegistrationPolicy.misplaced.apply(registration, to: turned) != turned)
    }

    @Test func trainedOnTurnedScansItFindsABumpOnAnotherTurnedScan() throws {
        let train = try (0..<3).map { try moved(SynthesisFixtures.bracketScan(seed: 10 + $0, bump: false), seed: 20 + $0, shift: SIMD3(5, 0, -2)) }
        var encoderConfiguration = PointMAEConfiguration.tiny
        encoderConfiguration.groupCount = 64
        encoderConfiguration.groupSize = 16
        let configuration = SCAConfiguration(
            encoder: encoderConfiguration, encoderSource: "random tiny", frame: ScanFrame(mode: .centroid, scale: 1),
            encodedPoints: 1024, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 3,
            head: DetectorHeadConfiguration(), readout: .memory, memoryRatio: 1, memoryPositionWeight: 5, registration: .always)
        let encoder = try RandomEncoder.fitted(
            configuration: encoderConfiguration, seed: 1, scans: train, frameMode: .centroid, encodedPoints: 1024)
        let detector = try SCATrainer.train(scans: train, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
        let good = try detector.score(moved(SynthesisFixtures.bracketScan(seed: 30, bump: false), seed: 31, shift: .zero))
        let bumped = try moved(SynthesisFixtures.bracketScan(seed: 32, bump: true), seed: 33, shift: SIMD3(0, 9, 0))
        let scores = try detector.score(bumped)
        #expect(scores.objectScore > good.objectScore)
        let auroc = try #require(try areaUnderROC(scores: scores.pointScores, labels: bumped.labels!))
        #expect(auroc > 0.7, "point AUROC \(auroc) on the bumped scan")
        // Without registration the same training leaves a clean turned scan looking far less clean.
        var unregistered = configuration
        unregistered.registration = .never
        let plain = try SCATrainer.train(scans: train, encoder: encoder, configuration: unregistered, seed: 3, workers: 2)
        let plainGood = try plain.score(moved(SynthesisFixtures.bracketScan(seed: 30, bump: false), seed: 31, shift: .zero))
        func mean(_ values: [Float]) -> Float { values.reduce(0, +) / Float(values.count) }
        #expect(mean(good.pointScores) < 0.6 * mean(plainGood.pointScores))
    }

    @Test func checkpointsCarryTheReferenceExactlyWhenTheyRegister() throws {
        let reference = try partCloud(.gear, count: 300, seed: 1)
        let checkpoint = try registeringDetector(reference: reference).checkpoint()
        let loaded = try SCADetector(checkpoint: checkpoint)
        #expect(loaded.registration?.reference == reference && loaded.configuration.registration == .always)
        var missing = checkpoint
        missing.tensors[SCADetector.referenceName] = nil
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: missing) }
        var flat = checkpoint
        flat.tensors[SCADetector.referenceName] = Tensor(shape: [300 * 3], storage: reference.coordinates)
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: flat) }
        // A reference without the setting is as wrong as the setting without a reference.
        var configuration = loaded.configuration
        configuration.registration = .never
        var unexpected = checkpoint
        unexpected.configuration = try TextFormatting.json(configuration)
        #expect(throws: ModelCheckpointError.self) { try SCADetector(checkpoint: unexpected) }
    }

    @Test func configurationsWrittenBeforeRegistrationDoNotRegister() throws {
        let configuration = SCAConfiguration(
            encoder: .tiny, encoderSource: "random", frame: ScanFrame(mode: .centroid, scale: 2), encodedPoints: 256,
            augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 2, head: DetectorHeadConfiguration(),
            registration: .always)
        let json = Data(try TextFormatting.json(configuration).utf8)
        #expect(try JSONDecoder().decode(SCAConfiguration.self, from: json) == configuration)
        var object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["registration"] = nil
        let older = try JSONDecoder().decode(SCAConfiguration.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(older.registration == .never)
    }

    @Test func pointToPlaneICPBringsAShiftedScanBackOntoTheTarget() throws {
        // Target: one sample of the bracket with PCA normals; scan: another sample turned by 4° and
        // shifted by 6% of the diagonal — the offset of a single view framed on its own centroid.
        let target = try partCloud(.bracket, count: 3000, seed: 1), scan = try partCloud(.bracket, count: 1500, seed: 2)
        let tree = try KDTree(target)
        let normals = try NormalEstimation(neighborhood: .nearest(k: 12)).estimate(target, tree: tree).normals
        let icp = PointToPlaneICP(target: target, normals: normals, tree: tree)
        let diagonal = SynthesisFixtures.diagonal(target)
        let offset = RigidTransform(axis: SIMD3(0.6, 0.8, 0), angle: 4 * .pi / 180, translation: SIMD3(0.06 * diagonal, 0, 0))
        let moved = offset.apply(to: scan)
        let back = try icp.refinement(of: moved).apply(to: moved)
        #expect(largestDisplacement(back, scan) < 0.005 * diagonal)
        #expect(throws: SamplingError.self) { try icp.refinement(of: PointCloud(coordinates: [0, 0, 0, 1, 1, 1])) }
    }

    @Test func icpStoppedAtConvergenceLandsWhereTheFullRunDoes() throws {
        let target = try partCloud(.bracket, count: 3000, seed: 1), scan = try partCloud(.bracket, count: 1500, seed: 2)
        let tree = try KDTree(target)
        let normals = try NormalEstimation(neighborhood: .nearest(k: 12)).estimate(target, tree: tree).normals
        var icp = PointToPlaneICP(target: target, normals: normals, tree: tree)
        icp.iterations = 60
        let diagonal = SynthesisFixtures.diagonal(target)
        let moved = RigidTransform(axis: SIMD3(0, 0.6, 0.8), angle: 3 * .pi / 180, translation: SIMD3(0, 0.04 * diagonal, 0)).apply(to: scan)
        let full = try icp.refinement(of: moved).apply(to: moved)
        icp.convergence = 1e-5 * diagonal
        let early = try icp.refinement(of: moved).apply(to: moved)
        #expect(largestDisplacement(early, full) < 1e-3 * diagonal)
        let step = RigidTransform(axis: SIMD3(1, 0, 0), angle: 0.002, translation: SIMD3(0, 0.003, 0.004))
        #expect(abs(PointToPlaneICP.size(of: step) - 0.007) < 1e-5)
    }
}
