import AD3DTensor
import Foundation
import Synchronization

/// A sensor position and how well the points it would see match a scan's coverage.
public struct SensorEstimate: Sendable, Equatable {
    /// Where the sensor is, in the cloud's coordinates.
    public var position: SIMD3<Float>
    /// F1 agreement (0…1) between predicted-visible and covered sample points (a covered point
    /// predicted `.unknown` counts as missed; an uncovered one is ignored).
    public var agreement: Float
}

/// Estimates where the sensor of a single-view scan was, from which template points the scan covers.
///
/// Scores sensor positions on a fixed subsample of the template: a search over `directionCount`
/// Fibonacci-sphere directions from the template's centre at each of `distances` (bounding-box
/// diagonals), then a local refinement of the best by shrinking angular steps and distance
/// factors. What each candidate of the coarse search sees does not depend on the scan: it is
/// predicted once, on the first estimate, and kept as one bit per sample point, so that a later
/// estimate scores the whole coarse search by counting bits (the same answer; a flange view's
/// sensor stage went from 557 to 49 ms in `ad3d bench`). Deterministic. (A coarse search at one
/// distance on 300 points, keeping 4 directions, was 2× faster but placed the sensor of flange
/// views on the wrong side: 0.67 against 0.89 object AUROC on the views seed-2 flange.)
public final class SensorEstimator: Sendable {
    /// Candidate directions of the coarse search (about 13° apart).
    public static let directionCount = 256
    /// Candidate distances from the centre, in bounding-box diagonals.
    public static let distances: [Float] = [1.5, 3, 6]
    /// Template points the search and the refinement score on.
    public static let sampleCount = 1000
    /// Angular steps of the refinement, in degrees, each tried until it no longer improves.
    public static let refinementSteps: [Float] = [6, 3, 1.5, 0.75]
    /// Most moves the refinement makes at one angular step.
    public static let maximumMovesPerStep = 6
    /// Factor by which the refinement moves the sensor nearer or farther.
    public static let distanceStep: Float = 1.25

    /// Visibility on the subsample.
    let predictor: VisibilityPredictor
    /// The subsample's indices into the template, ascending.
    let sampleIndices: [Int]
    /// Points in the template.
    let pointCount: Int
    /// The coarse search's candidates: a direction from the template's centre and a distance in diagonals.
    let candidates: [(direction: SIMD3<Float>, distance: Float)]
    /// What each candidate sees of the subsample, once predicted.
    private let candidateViews = Mutex<[SampleMask]?>(nil)

    /// An estimator for `cloud` with unit `normals` (`[N, 3]` flat, any sign).
    public init(cloud: PointCloud, normals: [Float]) throws {
        precondition(normals.count == cloud.coordinates.count, "one normal per point")
        sampleIndices = try Downsampling.fixedSubsetIndices(count: Self.sampleCount, from: cloud.count)
        let sample = cloud.selecting(sampleIndices)
        let sampleNormals = sampleIndices.flatMap { normals[(3 * $0)..<(3 * $0 + 3)] }
        predictor = try VisibilityPredictor(cloud: sample, normals: sampleNormals, spacing: try KDTree(sample).medianSpacing(at: sample))
        pointCount = cloud.count
        candidates = FibonacciSphere.directions(count: Self.directionCount).flatMap { d in Self.distances.map { (d, $0) } }
    }

    /// The sensor position of a candidate direction and distance (in diagonals).
    private func position(_ direction: SIMD3<Float>, _ distance: Float) -> SIMD3<Float> {
        predictor.center + distance * predictor.diagonal * direction
    }

    /// The sample points each coarse candidate predicts `.visible`, computed on first use.
    private func coarseViews() -> [SampleMask] {
        candidateViews.withLock { views in
            if let views { return views }
            let masks = ParallelMap.map(count: candidates.count, minimumChunk: 16) { range in
                range.map { c in
                    SampleMask(predictor.visibility(from: position(candidates[c].direction, candidates[c].distance)).map { $0 == .visible })
                }
            }.flatMap { $0 }
            views = masks
            return masks
        }
    }

    /// The sensor position that best explains `covered` (one flag per template point: whether the
    /// scan lies on it), with its agreement.
    public func estimate(covered: [Bool]) -> SensorEstimate {
        precondition(covered.count == pointCount, "one coverage flag per template point")
        let sampleCovered = sampleIndices.map { covered[$0] }
        func score(_ direction: SIMD3<Float>, _ distance: Float) -> Float {
            agreement(predictor.visibility(from: position(direction, distance)), covered: sampleCovered)
        }
        let coveredMask = SampleMask(sampleCovered)
        let scores = coarseViews().map { $0.agreement(covered: coveredMask) }
        // Ties go to the first candidate, so the answer does not depend on the chunking.
        var best = scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }.map {
            (direction: candidates[$0].0, distance: candidates[$0].1, score: scores[$0])
        }!
        for step in Self.refinementSteps {
            let angle = step * Float.pi / 180
            for _ in 0..<Self.maximumMovesPerStep {
                var improved = false
                let frame = SensorFrame(sensor: best.direction, target: .zero)
                var moves = [(SIMD3<Float>, Float)]()
                for (a, b) in [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)] as [(Float, Float)] {
                    let tangent = (a * frame.right + b * frame.up) / (a * a + b * b).squareRoot()
                    moves.append((cos(angle) * best.direction + sin(angle) * tangent, best.distance))
                }
                moves.append((best.direction, best.distance * Self.distanceStep))
                moves.append((best.direction, best.distance / Self.distanceStep))
                let moveScores = ParallelMap.map(count: moves.count, minimumChunk: 1) { range in
                    range.map { score(moves[$0].0, moves[$0].1) }
                }.flatMap { $0 }
                for (move, moveScore) in zip(moves, moveScores) where moveScore > best.score {
                    let length = (move.0 * move.0).sum().squareRoot()
                    best = (move.0 / length, move.1, moveScore)
                    improved = true
                }
                if !improved { break }
            }
        }
        return SensorEstimate(position: position(best.direction, best.distance), agreement: best.score)
    }

    /// F1 of predicted-visible against covered; covered `.unknown` points count as missed, so a
    /// sensor cannot score by seeing everything at a grazing angle (0 when nothing is visible or covered).
    func agreement(_ visibility: [PointVisibility], covered: [Bool]) -> Float {
        var both = 0, visibleOnly = 0, coveredOnly = 0
        for (prediction, isCovered) in zip(visibility, covered) {
            switch prediction {
            case .visible: if isCovered { both += 1 } else { visibleOnly += 1 }
            case .hidden, .unknown: if isCovered { coveredOnly += 1 }
            }
        }
        return Self.f1(both: both, visibleOnly: visibleOnly, coveredOnly: coveredOnly)
    }

    /// F1 from the counts of points predicted visible and covered, visible only, and covered only.
    static func f1(both: Int, visibleOnly: Int, coveredOnly: Int) -> Float {
        let denominator = 2 * both + visibleOnly + coveredOnly
        return denominator > 0 ? Float(2 * both) / Float(denominator) : 0
    }
}

/// A set of the estimator's sample points as bits, 64 to a word: those a candidate sensor sees,
/// or those a scan covers.
struct SampleMask: Sendable {
    /// The bits; those past the last point are zero.
    let words: [UInt64]

    /// The mask of the points whose flag is set.
    init(_ flags: [Bool]) {
        var words = [UInt64](repeating: 0, count: (flags.count + 63) / 64)
        for (i, flag) in flags.enumerated() where flag { words[i / 64] |= 1 << UInt64(i % 64) }
        self.words = words
    }

    /// `SensorEstimator.agreement` of this mask of visible points against a mask of covered ones.
    func agreement(covered: SampleMask) -> Float {
        var both = 0, visibleOnly = 0, coveredOnly = 0
        for (visible, isCovered) in zip(words, covered.words) {
            both += (visible & isCovered).nonzeroBitCount
            visibleOnly += (visible & ~isCovered).nonzeroBitCount
            coveredOnly += (~visible & isCovered).nonzeroBitCount
        }
        return SensorEstimator.f1(both: both, visibleOnly: visibleOnly, coveredOnly: coveredOnly)
    }
}
