import Foundation

/// Why the SCA detector cannot be trained as configured.
public enum SCATrainingError: Error, LocalizedError, Equatable {
    /// Read-out `.none` leaves only the surface terms, and surface deviation is off.
    case nothingToScore

    public var errorDescription: String? {
        "read-out 'none' scores points by surface deviation alone, which is off (--no-surface-deviation, or training scans in several poses that are not registered)"
    }
}
