import Testing
import AD3DKit
@testable import AD3DSupport

/// ROC and precision–recall curve points against counts from scratch and the curves' areas
/// against AUROC and average precision.
@Suite struct EvaluationCurveTests {
    /// Random cases: half with scores from a few levels (many ties), half continuous.
    private static let cases: [(scores: [Double], labels: [UInt8])] = {
        var rng = SeededGenerator(seed: 7)
        return (0..<40).map { caseIndex in
            let n = 2 + Int(rng.next() % 200), levels = 2 + Int(rng.next() % 5)
            var labels = (0..<n).map { _ in UInt8(rng.next() % 3 == 0 ? 1 : 0) }
            labels[0] = 0
            labels[1] = 1
            let scores = labels.map { label -> Double in
                let noise = Double(rng.next() % 1_000_000) / 1_000_000
                return caseIndex.isMultiple(of: 2) ? Double(Int(noise * Double(levels))) + Double(label) * 0.5 : noise + Double(label) * 0.3
            }
            return (scores, labels)
        }
    }()

    @Test func rocPointsCountEachDistinctThresholdFromScratch() throws {
        for (scores, labels) in Self.cases {
            let curve = try #require(try RankedScores(scores: scores, labels: labels).rocCurve)
            let positives = Double(labels.filter { $0 == 1 }.count), negatives = Double(labels.count) - positives
            let expected = [ROCPoint(falsePositiveRate: 0, truePositiveRate: 0)] + Set(scores).sorted(by: >).map { t in
                let predicted = scores.indices.filter { scores[$0] >= t }
                let hits = Double(predicted.filter { labels[$0] == 1 }.count)
                return ROCPoint(falsePositiveRate: (Double(predicted.count) - hits) / negatives, truePositiveRate: hits / positives)
            }
            #expect(curve == expected)
            #expect(curve.last == ROCPoint(falsePositiveRate: 1, truePositiveRate: 1))
        }
    }

    @Test func trapezoidAreaUnderROCPointsIsAUROC() throws {
        for (scores, labels) in Self.cases {
            let ranked = try RankedScores(scores: scores, labels: labels)
            let curve = try #require(ranked.rocCurve)
            var area = 0.0
            for (a, b) in zip(curve, curve.dropFirst()) {
                area += (b.falsePositiveRate - a.falsePositiveRate) * (a.truePositiveRate + b.truePositiveRate) / 2
            }
            #expect(abs(area - (try #require(ranked.areaUnderROC))) < 1e-12)
        }
    }

    @Test func stepSumOverPrecisionRecallPointsIsAveragePrecision() throws {
        for (scores, labels) in Self.cases {
            let ranked = try RankedScores(scores: scores, labels: labels)
            let curve = try #require(ranked.precisionRecallCurve)
            var sum = 0.0, previousRecall = 0.0
            for point in curve {
                sum += (point.recall - previousRecall) * point.precision
                previousRecall = point.recall
            }
            #expect(abs(sum - (try #require(ranked.averagePrecision))) < 1e-12)
            #expect(curve.last?.recall == 1)
        }
    }

    @Test func tiedScoresAreOneStep() throws {
        // Scores 3, 2, 2, 1 with labels 1, 1, 0, 0: the tie at 2 is one point, not two.
        let ranked = try RankedScores(scores: [3, 2, 2, 1] as [Double], labels: [1, 1, 0, 0] as [UInt8])
        #expect(try #require(ranked.rocCurve).map(\.truePositiveRate) == [0, 0.5, 1, 1])
        #expect(try #require(ranked.rocCurve).map(\.falsePositiveRate) == [0, 0, 0.5, 1])
        #expect(try #require(ranked.precisionRecallCurve) == [
            PrecisionRecallPoint(recall: 0.5, precision: 1), PrecisionRecallPoint(recall: 1, precision: 2.0 / 3),
            PrecisionRecallPoint(recall: 1, precision: 0.5),
        ])
    }

    @Test func oneClassHasNoCurve() throws {
        let ranked = try RankedScores(scores: [1, 2] as [Double], labels: [0, 0] as [UInt8])
        #expect(ranked.rocCurve == nil)
        #expect(ranked.precisionRecallCurve == nil)
    }
}
