import AD3DPointCloud
import AD3DTensor
import Foundation

/// A scan's per-point scores in whichever formats `ad3d infer` wrote them (see `ScoreDirectory`).
public enum PointScoreFile {
    /// The scores of `scan` in `directory` and the file they came from: every one of
    /// `<scan>.txt`, `.npy` and `.ply` present is read, and they must agree; the first present
    /// (in that order) is named.
    public static func read(scan: String, in directory: ScoreDirectory) throws -> (scores: [Float], url: URL) {
        let present = ScoreOutputFormat.allCases.map { directory.pointScoresURL(scan: scan, format: $0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        guard let first = present.first else {
            throw ScoreFileError.missing(path: directory.pointScoresURL(scan: scan).path)
        }
        let scores = try read(first)
        for other in present.dropFirst() where try read(other).map(\.bitPattern) != scores.map(\.bitPattern) {
            throw ScoreFileError.conflictingFiles(path: first.path, other: other.path)
        }
        return (scores, first)
    }

    /// The scores in the file at `url`, by its extension (`txt`, `npy` or `ply`).
    public static func read(_ url: URL) throws -> [Float] {
        switch ScoreOutputFormat(rawValue: url.pathExtension.lowercased()) {
        case .txt, nil: return try ScoreFiles.readPointScores(from: url)
        case .npy: return try checked(NPYFile.read(url), url: url)
        case .ply: return try checked(PLYVertexProperty.read("scalar", from: url), url: url)
        }
    }

    /// An NPY array of shape (N) or (N, 1) as N scores.
    private static func checked(_ tensor: Tensor, url: URL) throws -> [Float] {
        guard tensor.rank == 1 || (tensor.rank == 2 && tensor.shape[1] == 1) else {
            throw ScoreFileError.notAVector(path: url.path, shape: tensor.shape)
        }
        return try checked(tensor.storage, url: url)
    }

    /// `scores`, refused when one is NaN.
    private static func checked(_ scores: [Float], url: URL) throws -> [Float] {
        if let index = scores.firstIndex(where: \.isNaN) { throw ScoreFileError.notANumberAt(path: url.path, index: index) }
        return scores
    }
}
