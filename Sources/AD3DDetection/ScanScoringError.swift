import Foundation

/// A scan that was read but could not be scored (too few points, a registration that cannot
/// start, …), with the file it came from.
public struct ScanScoringError: Error, LocalizedError, Equatable {
    /// The scan file.
    public var path: String
    /// What the detector reported.
    public var reason: String

    /// "PATH: cannot score this scan: REASON".
    public var errorDescription: String? { "\(path): cannot score this scan: \(reason)" }
}
