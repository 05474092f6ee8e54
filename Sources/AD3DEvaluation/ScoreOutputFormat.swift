/// The encodings of a scan's per-point score file, in the order `ad3d eval --scores` looks for them.
public enum ScoreOutputFormat: String, Sendable, CaseIterable, Codable {
    /// `<stem>.txt`, one score per line.
    case txt
    /// `<stem>.npy`, a float32 vector of N scores.
    case npy
    /// `<stem>.ply`, the points with the score as `scalar` and `quality` properties and heat colours.
    case ply
}
