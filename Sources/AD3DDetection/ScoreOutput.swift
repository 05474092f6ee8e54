import AD3DEvaluation
import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// How `ad3d infer` writes a scan's per-point scores.
public enum ScoreOutputFormat: String, Sendable, CaseIterable, Codable {
    /// `<stem>.txt`, one score per line — the convention `ad3d eval --scores` reads.
    case txt
    /// `<stem>.npy`, a float32 vector of N scores.
    case npy
    /// `<stem>.ply`, the points with the score as `scalar` and `quality` properties and heat colours.
    case ply
}

/// Writes detector outputs to a score folder (see `ScoreDirectory` for the convention).
public enum ScoreOutput {
    /// Writes the per-point scores of the scan `stem` (whose points are `cloud`) into `directory`;
    /// a PLY's colours follow the model's `heatScale`, or without one the scan's own score range.
    public static func writePointScores(
        _ scores: AnomalyScores, cloud: PointCloud, stem: String, to directory: ScoreDirectory, format: ScoreOutputFormat,
        heatScale: HeatScale? = nil
    ) throws {
        precondition(scores.pointScores.count == cloud.count, "one score per point")
        let base = directory.url.appendingPathComponent(stem)
        switch format {
        case .txt:
            try ScoreFiles.writePointScores(scores.pointScores, to: directory.pointScoresURL(scan: stem))
        case .npy:
            try NPYFile.write(
                Tensor(shape: [scores.pointScores.count], storage: scores.pointScores),
                to: base.appendingPathExtension("npy"))
        case .ply:
            try PointCloudWriter.write(
                cloud, to: base.appendingPathExtension("ply"), format: .ply,
                scalars: scores.pointScores,
                colors: heatScale.map { HeatColormap.colors(for: scores.pointScores, scale: $0) }
                    ?? HeatColormap.colors(for: scores.pointScores))
        }
    }
}
