import Foundation
import Testing
import AD3DKit
@testable import AD3DEvaluation

/// How the report judges and colours scans: by the model's calibration, or by the test set's
/// best-F1 thresholds for a model without one.
@Suite struct ReportJudgingTests {
    /// A scored test scan of two points (labelled anomalous where `labels` says so).
    private func scored(_ name: String, object: Float, points: [Float], labels: [UInt8], defective: Bool, view: Bool = false) -> ScoredTestScan {
        let url = URL(fileURLWithPath: "/data/test/\(name).pcd")
        let cloud = PointCloud(points: points.indices.map { SIMD3(Float($0), 0, 0) })
        return ScoredTestScan(
            sample: TestSample(name: name, scan: url, groundTruth: defective ? url : nil),
            scan: LabeledScan(source: url, cloud: cloud, labels: labels),
            scores: AnomalyScores(pointScores: points, objectScore: object, scoredAsView: view))
    }

    /// Good scans score objects 1 and 2, points 1–2; defective ones 3 and 4, with one point at
    /// 9 or 8 (labelled) and one at 1. Best F1: object threshold 3, point threshold 8 (both F1 = 1);
    /// good points sorted 1, 1, 2, 2: median (upper middle) 2.
    private var testSet: [ScoredTestScan] {
        [
            scored("1_good", object: 1, points: [1, 2], labels: [0, 0], defective: false),
            scored("2_good", object: 2, points: [2, 1], labels: [0, 0], defective: false),
            scored("3_cut", object: 3, points: [9, 1], labels: [1, 0], defective: true),
            scored("4_cut", object: 4, points: [8, 1], labels: [1, 0], defective: true),
        ]
    }

    @Test func withoutCalibrationTheTestSetsBestF1ThresholdsJudge() throws {
        let judging = try ReportJudging.fromTestSet(testSet)
        #expect(judging.thresholds.pairs == [ThresholdPair(scans: "all scans", object: 3, point: 8)])
        let scans = testSet.map(judging.reportScan)
        #expect(scans.map(\.isJudgedDefective) == [false, false, true, true])
        #expect(scans.allSatisfy { $0.pointThreshold == 8 })
        // Blue at the median 2, yellow at the threshold 8.
        #expect(scans[1].colors[0] == SIMD3(0, 0, 255))
        #expect(scans[3].colors[0] == SIMD3(255, 255, 0))
    }

    @Test func aTestSetWithOneClassGivesNoVerdicts() throws {
        let good = Array(testSet.prefix(2))
        let judging = try ReportJudging.fromTestSet(good)
        #expect(judging.thresholds.pairs.isEmpty)
        let scan = judging.reportScan(good[0])
        #expect(scan.isJudgedDefective == nil && scan.pointThreshold == nil)
        #expect(scan.colors == HeatColormap.colors(for: [1, 2]))
    }

    @Test func calibrationJudgesEachScanByItsKind() throws {
        let complete = ScoreThresholds(objectScores: [1, 2, 3], regionScores: [5, 6, 7], pointScores: [0, 1, 2, 3, 4], falseAlarmRate: 0.01)
        let view = ScoreThresholds(objectScores: [10, 20, 30], regionScores: [50, 60, 70], pointScores: [0, 10, 20], falseAlarmRate: 0.01)
        let calibration = ScoreCalibration(falseAlarmRate: 0.01, regionPoints: 10, complete: complete, view: view, trainingDiagonals: [1, 2], trainingScans: 4)
        let judging = ReportJudging.calibrated(calibration)
        #expect(judging.thresholds.pairs.map(\.scans) == ["complete scans", "single views"])
        let whole = judging.reportScan(scored("1_good", object: 1, points: [1, 2], labels: [0, 0], defective: false))
        let single = judging.reportScan(scored("2_good", object: 1, points: [1, 2], labels: [0, 0], defective: false, view: true))
        #expect(whole.objectThreshold == Double(complete.object) && whole.pointThreshold == complete.point)
        #expect(single.objectThreshold == Double(view.object) && single.pointThreshold == view.point)
        #expect(single.colors == HeatColormap.colors(for: [1, 2], scale: HeatScale(median: view.cleanPointMedian, threshold: view.point)))
    }
}
