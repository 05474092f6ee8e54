import Foundation
import Testing
@testable import AD3DKit

/// Train → score → evaluate on a tiny synthesized category, through model files, as the CLI does.
@Suite(.serialized) struct DetectionEndToEndTests {
    /// A small category on disk: a procedural part with large bulges and sinks.
    private static func makeCategory() throws -> (root: URL, category: DatasetCategory) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-e2e-\(UUID().uuidString)")
        var settings = SynthesisSettings()
        settings.points = 1500...1800
        settings.goodCount = 6
        settings.defectsPerKind = 3
        settings.defectKinds = [.bulge, .sink]
        settings.defectSize = 0.04...0.10
        settings.seed = 5
        _ = try CategorySynthesizer(source: .part(.flange), settings: settings).write(to: root)
        return (root, try DatasetCategory(discoveringAt: root.appendingPathComponent("flange")))
    }

    private static func tinySCAConfiguration() -> (SCAConfiguration, PointMAEEncoder) {
        var encoderConfiguration = PointMAEConfiguration.tiny
        encoderConfiguration.groupCount = 64
        encoderConfiguration.groupSize = 16
        var head = DetectorHeadConfiguration()
        head.adaptorHiddenDimensions = 64
        head.adaptedDimensions = 32
        head.modelDimensions = 32
        head.prototypeCount = 8
        head.blockCount = 1
        head.training.steps = 120
        let configuration = SCAConfiguration(
            encoder: encoderConfiguration, encoderSource: "random tiny", frame: ScanFrame(mode: .centroid, scale: 1),
            encodedPoints: 1024, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 3, head: head)
        return (configuration, try! PointMAEEncoder(configuration: encoderConfiguration, seed: 1))
    }

    private func roundTrip(_ detector: any AnomalyDetector, in root: URL) throws -> any AnomalyDetector {
        let url = root.appendingPathComponent("model.safetensors")
        try ModelFile.save(try detector.checkpoint(), to: url)
        return try DetectorRegistry.load(url)
    }

    @Test func scaTrainsSavesLoadsAndScoresDeterministically() throws {
        let (root, category) = try Self.makeCategory()
        defer { try? FileManager.default.removeItem(at: root) }
        let scans = try category.trainScans.map { try PointCloudReader.read($0).cloud }
        let (configuration, encoder) = Self.tinySCAConfiguration()
        let detector = try SCATrainer.train(scans: scans, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
        let again = try SCATrainer.train(scans: scans, encoder: encoder, configuration: configuration, seed: 3, workers: 1)
        let probe = try PointCloudReader.read(category.testSamples[0].scan).cloud
        #expect(try detector.score(probe) == again.score(probe), "training must not depend on the worker count")

        let loaded = try roundTrip(detector, in: root)
        #expect(try loaded.score(probe) == detector.score(probe))
        let saveFolder = ScoreDirectory(url: root.appendingPathComponent("scores"))
        let evaluation = try DetectorEvaluation.evaluate(category, detector: loaded, saveScores: saveFolder, workers: 2)
        #expect(evaluation.good == 6 && evaluation.defective == 6)
        // The saved score files evaluate to exactly the same metrics.
        #expect(try ScoreFileEvaluation.evaluate(category, scores: saveFolder) == evaluation)
        // Large bumps: even this tiny model with a random encoder must rank defective scans first.
        #expect((evaluation.objectAUROC ?? 0) > 0.75, "\(evaluation)")
    }
}
