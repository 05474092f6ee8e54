import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DEvaluation
@testable import AD3DDetection

/// Synthetic scans for the detector tests: jittered unit spheres, optionally with a bump.
enum BaselineScans {
    /// `count` points on a unit sphere (radius jitter 0.002); with `bump`, points within ~0.5 rad of
    /// +z are pushed outward by up to 0.12 and labelled 1 where the push exceeds 0.03.
    static func sphere(count: Int, seed: UInt64, bump: Bool = false) -> PointCloud {
        var generator = SeededGenerator(seed: seed)
        var points = [SIMD3<Float>](), labels = [UInt8]()
        for _ in 0..<count {
            var d = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            d /= (d * d).sum().squareRoot()
            let angle = acos(max(-1, min(1, d.z)))
            let push: Float = bump ? 0.12 * exp(-angle * angle / (2 * 0.2 * 0.2)) : 0
            points.append(d * (1 + push + 0.002 * generator.nextGaussian()))
            labels.append(push > 0.03 ? 1 : 0)
        }
        return PointCloud(points: points, labels: labels)
    }

    static let training = [sphere(count: 3000, seed: 1), sphere(count: 3000, seed: 2)]
    static let clean = sphere(count: 3000, seed: 3)
    static let bumped = sphere(count: 3000, seed: 4, bump: true)

    /// A coarse voxel (1/35 of the diagonal) so that 3000 points are dense enough, and fewer
    /// feature neighbours, so that tests stay fast.
    static var fpfh: FPFHConfiguration {
        var configuration = FPFHConfiguration()
        configuration.voxelFraction = 1.0 / 35
        configuration.featureMaxNeighbors = 50
        return configuration
    }

    /// PatchCore settings of the tests: the FPFH above, a quarter of the features kept.
    static var patchCore: PatchCoreConfiguration {
        var configuration = PatchCoreConfiguration()
        configuration.fpfh = fpfh
        configuration.coresetRatio = 0.25
        return configuration
    }

    /// Trained once for all tests.
    static let btf = try! BTFDetector.train(scans: training, configuration: fpfh)
    static let patchCoreDetector = try! PatchCoreDetector.train(scans: training, configuration: patchCore)

    /// Mean score of the points labelled `label`.
    static func meanScore(_ scores: [Float], _ cloud: PointCloud, label: UInt8) -> Float {
        let selected = zip(scores, cloud.labels!).filter { $0.1 == label }.map(\.0)
        return selected.reduce(0, +) / Float(selected.count)
    }
}

/// Features = the points themselves, for checking PatchCore's scoring by hand.
struct CoordinateExtractor: PatchFeatureExtractor {
    static let kind = "coordinates"
    var featureDimension: Int { 3 }
    func extract(_ cloud: PointCloud) throws -> PatchFeatures { PatchFeatures(positions: cloud, features: cloud.tensor) }
    func saved() throws -> SavedFeatureExtractor { SavedFeatureExtractor(kind: Self.kind, configuration: "{}") }
}

@Suite("Baselines: BTF and PatchCore detectors")
struct BaselinesDetectorTests {
    @Test("BTF: the bump scores higher than the rest, and the bumped scan higher than a clean one")
    func btfFindsBump() throws {
        let detector = BaselineScans.btf
        let diagonal = 2 * Float(3).squareRoot()
        #expect(abs(detector.voxelSize - diagonal / 35) < 0.01 * diagonal / 35)
        #expect(detector.bank.dimension == 33)
        let bumped = try detector.score(BaselineScans.bumped)
        let clean = try detector.score(BaselineScans.clean)
        #expect(bumped.pointScores.count == 3000 && clean.pointScores.count == 3000)
        #expect(bumped.objectScore == bumped.pointScores.max())
        #expect(bumped.objectScore > clean.objectScore)
        let auroc = try #require(try areaUnderROC(scores: bumped.pointScores, labels: BaselineScans.bumped.labels!))
        #expect(auroc > 0.9)
        #expect(BaselineScans.meanScore(bumped.pointScores, BaselineScans.bumped, label: 1)
            > 2 * BaselineScans.meanScore(bumped.pointScores, BaselineScans.bumped, label: 0))
    }

    @Test("BTF: a training scan scores zero everywhere (its features are in the bank)")
    func btfTrainingScanScoresZero() throws {
        let detector = BaselineScans.btf
        let scores = try detector.score(BaselineScans.training[0])
        #expect(scores.pointScores.allSatisfy { $0 == 0 })
    }

    @Test("BTF: checkpoint round trip gives identical scores; bad checkpoints are rejected")
    func btfCheckpoint() throws {
        let detector = BaselineScans.btf
        let checkpoint = try detector.checkpoint()
        #expect(checkpoint.method == "btf" && Set(checkpoint.tensors.keys) == ["bank.features"])
        let restored = try BTFDetector(checkpoint: checkpoint)
        #expect(try restored.score(BaselineScans.bumped) == detector.score(BaselineScans.bumped))
        #expect(restored.configuration == BaselineScans.fpfh && restored.voxelSize == detector.voxelSize)

        var wrong = checkpoint
        wrong.method = "patchcore"
        #expect(throws: ModelCheckpointError.wrongMethod(expected: "btf", found: "patchcore")) { try BTFDetector(checkpoint: wrong) }
        wrong = checkpoint
        wrong.tensors["bank.features"] = Tensor(shape: [4, 32])
        #expect(throws: ModelCheckpointError.shapeMismatch(name: "bank.features", expected: [4, 33], actual: [4, 32])) {
            try BTFDetector(checkpoint: wrong)
        }
        wrong = checkpoint
        wrong.tensors = [:]
        #expect(throws: ModelCheckpointError.missingTensors(names: ["bank.features"])) { try BTFDetector(checkpoint: wrong) }
        wrong = checkpoint
        wrong.tensors["extra"] = Tensor(shape: [1])
        #expect(throws: ModelCheckpointError.unexpectedTensors(names: ["extra"])) { try BTFDetector(checkpoint: wrong) }
        for json in ["{", #"{"configuration": {}}"#, checkpoint.configuration.replacingOccurrences(of: "\"voxelSize\":", with: "\"voxelSize\":-")] {
            wrong = checkpoint
            wrong.configuration = json
            #expect(throws: ModelCheckpointError.self) { try BTFDetector(checkpoint: wrong) }
        }
    }

    @Test("training and scoring reject missing or empty scans")
    func inputErrors() throws {
        #expect(throws: BaselineError.noTrainingScans) { try BTFDetector.train(scans: []) }
        #expect(throws: BaselineError.emptyScan(scan: "training scan 2")) {
            try BTFDetector.train(scans: [BaselineScans.clean, PointCloud(coordinates: [])])
        }
        #expect(throws: BaselineError.degenerateTrainingScans(count: 1)) {
            try PatchCoreDetector.train(scans: [PointCloud(coordinates: [1, 2, 3, 1, 2, 3])])
        }
        #expect(throws: BaselineError.emptyScan(scan: "the scan to score")) { try BaselineScans.btf.score(PointCloud(coordinates: [])) }
    }

    @Test("PatchCore on FPFH: coreset bank, bump found, checkpoint round trip identical")
    func patchCoreFindsBump() throws {
        let detector = BaselineScans.patchCoreDetector
        // BTF keeps every training feature; PatchCore a quarter of them.
        #expect(detector.bank.count == BaselineScans.btf.bank.count / 4)
        let bumped = try detector.score(BaselineScans.bumped)
        let clean = try detector.score(BaselineScans.clean)
        #expect(bumped.objectScore > clean.objectScore)
        #expect(bumped.objectScore < bumped.pointScores.max()!)
        let auroc = try #require(try areaUnderROC(scores: bumped.pointScores, labels: BaselineScans.bumped.labels!))
        #expect(auroc > 0.9)

        let checkpoint = try detector.checkpoint()
        #expect(Set(checkpoint.tensors.keys) == ["bank.features"])
        let restored = try PatchCoreDetector(checkpoint: checkpoint)
        #expect(try restored.score(BaselineScans.bumped) == bumped)
        #expect(restored.configuration == BaselineScans.patchCore)
    }

    @Test("PatchCore object score follows the reweighting formula; point scores are nearest-bank distances")
    func patchCoreReweighting() throws {
        // Bank: a line of points along x plus two near the origin; the test scan's farthest patch is (0, 3, 0).
        let bankPoints: [SIMD3<Float>] = [SIMD3(0, 0, 0), SIMD3(0.5, 0, 0), SIMD3(1, 0, 0), SIMD3(0, 0.2, 0), SIMD3(5, 0, 0)]
        let bank = PointCloud(points: bankPoints).tensor
        let test = PointCloud(points: [SIMD3(1, 0.1, 0), SIMD3(0, 3, 0), SIMD3(4.8, 0, 0)])
        var configuration = PatchCoreConfiguration()
        configuration.reweightingNeighbors = 3
        let detector = PatchCoreDetector(configuration: configuration, extractor: CoordinateExtractor(), bank: bank)
        let scores = try detector.score(test)
        expectClose(scores.pointScores, [0.1, 2.8, 0.2], rtol: 1e-6)
        // m_test* = (0, 3, 0); m* = (0, 0.2, 0); N_3(m*) = {m*, (0,0,0), (0.5,0,0)}.
        let distances: [Double] = [2.8, 3, (0.25 + 9.0).squareRoot()]
        let weight = 1 - exp(2.8) / distances.map { exp($0) }.reduce(0, +)
        expectClose(scores.objectScore, Float(weight * 2.8), rtol: 1e-5)

        configuration.reweightingNeighbors = 1
        let unweighted = PatchCoreDetector(configuration: configuration, extractor: CoordinateExtractor(), bank: bank)
        expectClose(try unweighted.score(test).objectScore, 2.8, rtol: 1e-6)
        // An extractor the loader does not know cannot be restored.
        #expect(throws: ModelCheckpointError.invalidConfiguration(method: "patchcore", reason: "unknown feature extractor 'coordinates'")) {
            try PatchCoreDetector(checkpoint: detector.checkpoint())
        }
    }

    @Test("invalid PatchCore settings are rejected")
    func patchCoreSettings() throws {
        var configuration = PatchCoreConfiguration()
        configuration.coresetRatio = 1.5
        #expect(throws: BaselineError.self) { try PatchCoreDetector.train(scans: BaselineScans.training, configuration: configuration) }
        configuration = PatchCoreConfiguration()
        configuration.fpfh.normalMaxNeighbors = 2
        #expect(throws: BaselineError.self) { try PatchCoreDetector.train(scans: BaselineScans.training, configuration: configuration) }
    }
}
