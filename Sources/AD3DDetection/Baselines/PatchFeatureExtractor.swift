import AD3DPointCloud
import AD3DTensor

/// Local features of one scan: `[M, C]` feature rows and the 3D position each row describes.
public struct PatchFeatures: Sendable, Equatable {
    /// Where each feature sits (a downsampled point, a patch centre), M points.
    public var positions: PointCloud
    /// `[M, C]` features, row `i` describing `positions[i]`.
    public var features: Tensor

    /// Features at positions; `features` must have one row per position.
    public init(positions: PointCloud, features: Tensor) {
        precondition(features.rank == 2 && features.shape[0] == positions.count, "one feature row per position")
        self.positions = positions
        self.features = features
    }

    /// Spreads one score per feature row to every point of `cloud`: each point takes the score of
    /// its nearest feature position (ties: lower index), as BTF and Real3D-AD's PatchCore do.
    public func propagate(_ scores: [Float], to cloud: PointCloud) throws -> [Float] {
        precondition(scores.count == positions.count, "one score per feature position")
        let tree = try KDTree(positions)
        let nearest = tree.nearest(k: 1, to: cloud)
        return nearest.indices.map { scores[Int($0)] }
    }
}

/// Turns a scan into local features for a memory-bank detector (PatchCore).
///
/// `FPFHFeatureExtractor` is the hand-crafted implementation; a learned encoder's patch tokens
/// plug in by conforming and adding its `kind` to
/// `PatchCoreDetector.loadExtractor`.
public protocol PatchFeatureExtractor: Sendable {
    /// Name written in checkpoints, e.g. "fpfh".
    static var kind: String { get }
    /// Channels C of every feature row.
    var featureDimension: Int { get }
    /// The features of `cloud` (raw scan coordinates).
    func extract(_ cloud: PointCloud) throws -> PatchFeatures
    /// The extractor's settings as JSON and its tensors (if any), to be saved with a detector.
    func saved() throws -> SavedFeatureExtractor
}

/// A feature extractor as stored inside a detector's checkpoint.
public struct SavedFeatureExtractor: Sendable, Equatable {
    /// `PatchFeatureExtractor.kind` of the extractor.
    public var kind: String
    /// Its settings as JSON.
    public var configuration: String
    /// Its tensors by name (stored under `extractor.` in the detector's checkpoint).
    public var tensors: [String: Tensor]

    /// A saved extractor from its parts.
    public init(kind: String, configuration: String, tensors: [String: Tensor] = [:]) {
        self.kind = kind
        self.configuration = configuration
        self.tensors = tensors
    }
}
