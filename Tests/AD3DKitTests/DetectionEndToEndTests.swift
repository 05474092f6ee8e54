import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DSynthesis
@testable import AD3DEvaluation
@testable import AD3DDetection

/// Train → save → load → score → evaluate on a tiny category, through model files, as the CLI does.
@Suite(.serialized) struct DetectionEndToEndTests {
    /// A small category on disk: noisy spheres; defective test spheres carry one large bump.
    private static func makeCategory() throws -> (root: URL, category: DatasetCategory) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-e2e-\(UUID().uuidString)")
        var generator = SeededGenerator(seed: 5)
        func sphere(bump: Bool) -> PointCloud {
            let peak = SynthesisGeometry.randomDirection(using: &generator)
            var points = [SIMD3<Float>](), labels = [UInt8]()
            for _ in 0..<1500 {
                let direction = SynthesisGeometry.randomDirection(using: &generator)
                let angle = acos(max(-1, min(1, (direction * peak).sum())))
                let lift: Float = bump ? 0.35 * exp(-(angle * angle) / (2 * 0.25 * 0.25)) : 0
                points.append(direction * (1 + lift + 0.005 * generator.nextGaussian()))
                labels.append(lift > 0.02 ? 1 : 0)
            }
            return PointCloud(points: points, labels: labels)
        }
        let folder = root.appendingPathComponent("sphere")
        for i in 0..<4 {
            try PointCloudWriter.write(
                sphere(bump: false), to: folder.appendingPathComponent("train/\(i).pcd"), format: .pcdBinary)
        }
        for i in 0..<6 {
            let defective = i >= 3, cloud = sphere(bump: defective)
            let name = defective ? "\(i)_bulge" : "\(i)_good"
            try PointCloudWriter.write(
                PointCloud(coordinates: cloud.coordinates), to: folder.appendingPathComponent("test/\(name).pcd"),
                format: .pcdBinary)
            if defective {
                try PointCloudWriter.write(cloud, to: folder.appendingPathComponent("gt/\(name).txt"), format: .txt)
            }
        }
        return (root, try DatasetCategory(discoveringAt: folder))
    }

    private static func tinySCAConfiguration(
        scans: [PointCloud], readout: SCAReadout = .combined
    ) throws -> (SCAConfiguration, PointMAEEncoder) {
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
            encodedPoints: 1024, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 3, head: head,
            readout: readout)
        let encoder = try RandomEncoder.fitted(
            configuration: encoderConfiguration, seed: 1, scans: scans, frameMode: .centroid, encodedPoints: 1024)
        return (configuration, encoder)
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
        let (configuration, encoder) = try Self.tinySCAConfiguration(scans: scans)
        let detector = try SCATrainer.train(scans: scans, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
        let again = try SCATrainer.train(scans: scans, encoder: encoder, configuration: configuration, seed: 3, workers: 1)
        let probe = try PointCloudReader.read(category.testSamples[0].scan).cloud
        #expect(try detector.score(probe) == again.score(probe), "training must not depend on the worker count")

        let loaded = try roundTrip(detector, in: root)
        #expect(try loaded.score(probe) == detector.score(probe))
        let saveFolder = ScoreDirectory(url: root.appendingPathComponent("scores"))
        let evaluation = try DetectorEvaluation.evaluate(category, detector: loaded, saveScores: saveFolder, workers: 2)
        #expect(evaluation.good == 3 && evaluation.defective == 3)
        // The saved score files evaluate to exactly the same metrics.
        #expect(try ScoreFileEvaluation.evaluate(category, scores: saveFolder) == evaluation)
    }

    @Test func memoryReadoutFindsTheBumps() throws {
        let (root, category) = try Self.makeCategory()
        defer { try? FileManager.default.removeItem(at: root) }
        let scans = try category.trainScans.map { try PointCloudReader.read($0).cloud }
        let (configuration, encoder) = try Self.tinySCAConfiguration(scans: scans, readout: .memory)
        let detector = try SCATrainer.train(scans: scans, encoder: encoder, configuration: configuration, seed: 3, workers: 2)
        #expect(detector.head == nil && detector.memory != nil, "the memory read-out trains no discriminator")
        let loaded = try roundTrip(detector, in: root)
        let evaluation = try DetectorEvaluation.evaluate(category, detector: loaded, saveScores: nil, workers: 2)
        #expect((evaluation.objectAUROC ?? 0) >= 0.85, "object AUROC \(String(describing: evaluation.objectAUROC))")
        #expect((evaluation.pointAUROC ?? 0) >= 0.75, "point AUROC \(String(describing: evaluation.pointAUROC))")
    }
}
