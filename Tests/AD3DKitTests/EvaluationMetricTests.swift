import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DEvaluation

/// AUROC, average precision and max-F1 against brute-force references and scikit-learn values.
@Suite struct EvaluationMetricTests {
    /// Pairwise AUROC: the fraction of (positive, negative) pairs ranked correctly, ties ½.
    private func bruteForceAUROC(_ scores: [Double], _ labels: [UInt8]) -> Double? {
        var wins = 0.0, pairs = 0.0
        for i in scores.indices where labels[i] == 1 {
            for j in scores.indices where labels[j] == 0 {
                pairs += 1
                wins += scores[i] > scores[j] ? 1 : (scores[i] == scores[j] ? 0.5 : 0)
            }
        }
        return pairs > 0 ? wins / pairs : nil
    }

    /// Precision and recall at each distinct threshold, highest first, counted from scratch.
    private func precisionRecall(_ scores: [Double], _ labels: [UInt8]) -> [(t: Double, p: Double, r: Double)] {
        let positives = Double(labels.filter { $0 == 1 }.count)
        return Set(scores).sorted(by: >).map { t in
            let predicted = scores.indices.filter { scores[$0] >= t }
            let hits = Double(predicted.filter { labels[$0] == 1 }.count)
            return (t, hits / Double(predicted.count), hits / positives)
        }
    }

    /// AP = Σ (Rₙ − Rₙ₋₁) Pₙ straight from the definition.
    private func definitionAP(_ scores: [Double], _ labels: [UInt8]) -> Double {
        var ap = 0.0, previousRecall = 0.0
        for (_, p, r) in precisionRecall(scores, labels) {
            ap += (r - previousRecall) * p
            previousRecall = r
        }
        return ap
    }

    /// The best F1 over distinct thresholds and the highest threshold reaching it.
    private func definitionMaxF1(_ scores: [Double], _ labels: [UInt8]) -> MaxF1 {
        var best = MaxF1(f1: 0, threshold: .infinity)
        for (t, p, r) in precisionRecall(scores, labels) where p + r > 0 {
            let f1 = 2 * p * r / (p + r)
            if f1 > best.f1 + 1e-12 { best = MaxF1(f1: f1, threshold: t) }
        }
        return best
    }

    /// Tie-heavy random cases: scores from a few discrete levels, positives shifted up a bit.
    private static let tieHeavyCases: [(scores: [Double], labels: [UInt8])] = {
        var rng = SeededGenerator(seed: 42)
        return (0..<60).map { caseIndex in
            let n = 2 + Int(rng.next() % 150), levels = 1 + Int(rng.next() % 6)
            let rate = Double(rng.next() % 100) / 100
            var labels = (0..<n).map { _ in UInt8(Double(rng.next() % 1000) / 1000 < rate ? 1 : 0) }
            labels[0] = 0
            labels[1] = 1
            let scores = labels.map { label in
                Double(Int(rng.next() % UInt64(levels)) + Int(label) * Int(rng.next() % 2)) - 1.5
            }
            return caseIndex % 7 == 0 ? (scores.map { -$0 }, labels) : (scores, labels)
        }
    }()

    @Test func aurocMatchesPairwiseBruteForce() throws {
        for (scores, labels) in Self.tieHeavyCases {
            let expected = try #require(bruteForceAUROC(scores, labels))
            let got = try #require(try areaUnderROC(scores: scores, labels: labels))
            #expect(abs(got - expected) < 1e-12)
        }
    }

    @Test func averagePrecisionMatchesDefinition() throws {
        for (scores, labels) in Self.tieHeavyCases {
            let got = try #require(try averagePrecision(scores: scores, labels: labels))
            #expect(abs(got - definitionAP(scores, labels)) < 1e-12)
        }
    }

    @Test func maxF1MatchesDefinition() throws {
        for (scores, labels) in Self.tieHeavyCases {
            let got = try #require(try maxF1(scores: scores, labels: labels))
            let expected = definitionMaxF1(scores, labels)
            #expect(abs(got.f1 - expected.f1) < 1e-12)
            #expect(got.threshold == expected.threshold)
        }
    }

    private struct Golden: Decodable {
        struct Case: Decodable {
            var name: String
            var scores: [Double]
            var labels: [UInt8]
            var auroc: Double
            var average_precision: Double
            var max_f1: Double
        }
        var cases: [Case]
    }

    @Test func matchesScikitLearnGoldenValues() throws {
        let url = try #require(
            Bundle.module.url(forResource: "sklearn_metrics", withExtension: "json", subdirectory: "Resources/evaluation"))
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
        #expect(golden.cases.count >= 9)
        for golden in golden.cases {
            for ranked in [
                try RankedScores(scores: golden.scores, labels: golden.labels),
                try RankedScores(scores: golden.scores.map(Float.init), labels: golden.labels),
                try RankedScores(scores: golden.scores, labels: golden.labels.map { $0 == 1 }),
            ] {
                let auroc = try #require(ranked.areaUnderROC)
                let ap = try #require(ranked.averagePrecision)
                let f1 = try #require(ranked.maxF1)
                #expect(abs(auroc - golden.auroc) < 1e-9, "\(golden.name) AUROC")
                #expect(abs(ap - golden.average_precision) < 1e-9, "\(golden.name) AP")
                #expect(abs(f1.f1 - golden.max_f1) < 1e-9, "\(golden.name) max-F1")
            }
        }
    }

    @Test func handComputedSmallCase() throws {
        // Ranking 0.9(+) 0.5(−) 0.5(+) 0.1(−): pairs won 1 + 1 + ½ + 1 of 4.
        let scores: [Float] = [0.9, 0.5, 0.5, 0.1], labels: [UInt8] = [1, 0, 1, 0]
        #expect(try areaUnderROC(scores: scores, labels: labels) == 0.875)
        // Steps: t=0.9 → R ½, P 1; t=0.5 → R 1, P ⅔.
        let ap = try #require(try averagePrecision(scores: scores, labels: labels))
        let expectedAP: Double = 0.5 * 1 + 0.5 * (2.0 / 3.0)
        #expect(abs(ap - expectedAP) < 1e-15)
        #expect(try maxF1(scores: scores, labels: labels) == MaxF1(f1: 0.8, threshold: 0.5))
    }

    @Test func singleClassOrEmptyIsUndefined() throws {
        for labels: [UInt8] in [[], [0, 0, 0], [1, 1]] {
            let ranked = try RankedScores(scores: [Float](repeating: 0.5, count: labels.count), labels: labels)
            #expect(ranked.areaUnderROC == nil)
            #expect(ranked.averagePrecision == nil)
            #expect(ranked.maxF1 == nil)
        }
    }

    @Test func invalidInputThrows() {
        #expect(throws: MetricError.lengthMismatch(scores: 2, labels: 1)) {
            try RankedScores(scores: [Float](repeating: 0, count: 2), labels: [UInt8]([1]))
        }
        #expect(throws: MetricError.notANumber(index: 1)) {
            try RankedScores(scores: [0, .nan, 1] as [Double], labels: [UInt8]([0, 1, 0]))
        }
        #expect(throws: MetricError.invalidLabel(index: 2, value: 2)) {
            try RankedScores(scores: [0, 1, 2] as [Double], labels: [UInt8]([0, 1, 2]))
        }
    }

    @Test func infiniteScoresRankAtTheEnds() throws {
        let scores: [Double] = [.infinity, 1, -.infinity, .infinity], labels: [UInt8] = [1, 0, 0, 0]
        #expect(try areaUnderROC(scores: scores, labels: labels) == bruteForceAUROC(scores, labels))
    }
}
