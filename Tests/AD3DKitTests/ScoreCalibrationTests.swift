import Foundation
import Synchronization
import Testing
import AD3DKit
@testable import AD3DDetection
@testable import AD3DTensor

/// A detector that remembers which scans it was trained on (scan i lies on the plane x = i) and
/// scores a scan by that x: object score x, point scores x plus the point's index / 100.
private struct IndexDetector: AnomalyDetector {
    static let methodName = "index"
    let trainedOn: Set<Int>

    func score(_ cloud: PointCloud) throws -> AnomalyScores {
        let index = Int(cloud[0].x)
        guard !trainedOn.contains(index) else { throw SCATrainingError.nothingToScore }
        return AnomalyScores(
            pointScores: (0..<cloud.count).map { Float(index) + Float($0) / 100 }, objectScore: Float(index))
    }

    func checkpoint() throws -> ModelCheckpoint { ModelCheckpoint(method: Self.methodName, configuration: "{}", tensors: [:]) }
    init(checkpoint: ModelCheckpoint) throws { trainedOn = [] }
    init(trainedOn: [Int]) { self.trainedOn = Set(trainedOn) }
}

@Suite struct ScoreCalibrationTests {
    /// Scan `index`: 20 points on the plane x = index.
    private static func scan(_ index: Int) -> PointCloud {
        PointCloud(coordinates: (0..<20).flatMap { [Float(index), Float($0 % 5), Float($0 / 5)] })
    }

    @Test func studentQuantilesMatchTables() {
        // scipy.stats.t.ppf(0.99, 3), t.ppf(0.975, 10), t.ppf(0.99, 1)
        #expect(abs(StudentT.quantile(0.99, degreesOfFreedom: 3) - 4.540703) < 1e-5)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 10) - 2.228139) < 1e-5)
        #expect(abs(StudentT.quantile(0.99, degreesOfFreedom: 1) - 31.820516) < 1e-3)
    }

    @Test func thresholdIsTheNormalPredictionBoundOfTheCleanScoresOrTheirMaximum() {
        // Mean 2.5, sample standard deviation √(5/3), t(0.95, 3) = 2.353363: 2.5 + 2.353363 · √(5/3) · √(5/4).
        let threshold = ScoreThresholds.upperQuantile(of: [1, 2, 3, 4], falseAlarmRate: 0.05)
        #expect(abs(threshold - 5.896788) < 1e-4)
        // Mean 2.5, deviation 5: the bound at rate 0.4 (4.05) lies below the largest clean score.
        #expect(ScoreThresholds.upperQuantile(of: [0, 0, 0, 10], falseAlarmRate: 0.4) == 10)
        #expect(ScoreThresholds.upperQuantile(of: [7], falseAlarmRate: 0.01) == 7)
    }

    @Test func foldsDealEveryScanOutOnce() {
        #expect(ScoreCalibrator.folds(scanCount: 1).isEmpty)
        #expect(ScoreCalibrator.folds(scanCount: 2) == [[0], [1]])
        #expect(ScoreCalibrator.folds(scanCount: 9) == [[0, 4, 8], [1, 5], [2, 6], [3, 7]])
    }

    @Test func everyScanIsScoredByADetectorTrainedWithoutIt() throws {
        let scans = (0..<6).map(Self.scan)
        let trainings = Mutex([[Int]]())
        let calibration = try #require(
            try ScoreCalibrator.calibrate(scans: scans, falseAlarmRate: 0.05, regionPoints: 3, seed: 1, workers: 2) { indices in
                trainings.withLock { $0.append(indices) }
                return IndexDetector(trainedOn: indices)
            })
        #expect(trainings.withLock { $0.sorted { $0.lexicographicallyPrecedes($1) } } == [
            [0, 1, 2, 4, 5], [0, 1, 3, 4, 5], [0, 2, 3, 4], [1, 2, 3, 5],
        ])
        let oneThread = try ScoreCalibrator.calibrate(scans: scans, falseAlarmRate: 0.05, regionPoints: 3, seed: 1, workers: 1) {
            IndexDetector(trainedOn: $0)
        }
        #expect(oneThread == calibration)
        let complete = try #require(calibration.complete)
        #expect(calibration.view == nil)
        #expect(complete.heldOutObjectScores.sorted() == [0, 1, 2, 3, 4, 5])
        // The third-highest point score of scan i is i + 17/100.
        #expect(complete.heldOutRegionScores.sorted() == (0..<6).map { Float($0) + 0.17 })
        #expect(complete.object == ScoreThresholds.upperQuantile(of: [0, 4, 1, 5, 2, 3], falseAlarmRate: 0.05))
        #expect(complete.cleanObjectMedian == 2.5)
        #expect(calibration.trainingDiagonals == [scans[0].diagonal, scans[0].diagonal])
        #expect(calibration.trainingScans == 6)
        #expect(try ScoreCalibrator.calibrate(scans: [scans[0]], falseAlarmRate: 0.05, seed: 1) { IndexDetector(trainedOn: $0) } == nil)
    }

    private static let calibration = ScoreCalibration(
        falseAlarmRate: 0.01, regionPoints: 10,
        complete: ScoreThresholds(objectScores: [1, 2, 3], regionScores: [4, 5], pointScores: [0, 1, 2], falseAlarmRate: 0.01),
        view: nil, trainingDiagonals: [10, 12], trainingScans: 3)

    @Test func verdictRelativeScoreAndWarnings() throws {
        let thresholds = try #require(Self.calibration.complete)
        let cloud = PointCloud(coordinates: [0, 0, 0, 6, 8, 0])  // diagonal 10
        let atThreshold = ScanVerdict(
            scores: AnomalyScores(pointScores: [0, 0], objectScore: thresholds.object), cloud: cloud, calibration: Self.calibration)
        #expect(atThreshold.decision == .defective)
        #expect(abs(atThreshold.relativeScore - 1) < 1e-6)
        #expect(atThreshold.warnings.isEmpty)
        #expect(atThreshold.heatScale == HeatScale(median: thresholds.cleanPointMedian, threshold: thresholds.point))
        let typical = ScanVerdict(
            scores: AnomalyScores(pointScores: [0, 0], objectScore: 2), cloud: cloud, calibration: Self.calibration)
        #expect(typical.decision == .ok && typical.relativeScore == 0)
        let overridden = ScanVerdict(
            scores: AnomalyScores(pointScores: [0, 0], objectScore: 2), cloud: cloud, calibration: Self.calibration,
            objectThreshold: 2)
        #expect(overridden.decision == .defective)
        // Ten times larger (millimetres for centimetres), and every point above the point threshold.
        let foreign = ScanVerdict(
            scores: AnomalyScores(pointScores: [100, 100], objectScore: 50),
            cloud: PointCloud(coordinates: [0, 0, 0, 60, 80, 0]), calibration: Self.calibration)
        #expect(foreign.warnings.count == 2)
    }

    @Test func calibrationRoundTripsThroughAModelFileAndBadOnesAreRefused() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-calibration-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let checkpoint = ModelCheckpoint(method: "btf", configuration: "{}", tensors: ["x": Tensor(shape: [1], storage: [0])])
        try ModelFile.save(checkpoint, calibration: Self.calibration, to: url)
        #expect(try ModelFile.calibration(of: SafeTensors.read(url), path: url.path) == Self.calibration)
        try ModelFile.save(checkpoint, to: url)
        #expect(try ModelFile.calibration(of: SafeTensors.read(url), path: url.path) == nil)
        var metadata = ["format": "ad3d-model", "format_version": "1", "method": "btf", "configuration": "{}"]
        for bad in [#"{"false_alarm_rate": 2}"#, try Self.calibration.json().replacingOccurrences(of: "0.01", with: "-1")] {
            metadata["calibration"] = bad
            try SafeTensors.write(checkpoint.tensors, metadata: metadata, to: url)
            #expect(throws: ModelFileError.self) { try ModelFile.calibration(of: SafeTensors.read(url), path: url.path) }
        }
    }

    @Test func heatColoursFollowTheModelScaleWhateverElseTheScanHolds() {
        let scale = HeatScale(median: 1, threshold: 3)
        let alone = HeatColormap.colors(for: [2], scale: scale)
        let amongHotPoints = HeatColormap.colors(for: [2, 50, 60], scale: scale)
        #expect(alone[0] == amongHotPoints[0])
        #expect(HeatColormap.colors(for: [1, 3, 5, 9, -4], scale: scale) == [
            SIMD3(0, 0, 255), SIMD3(255, 255, 0), SIMD3(255, 0, 0), SIMD3(255, 0, 0), SIMD3(0, 0, 255),
        ])
    }
}
