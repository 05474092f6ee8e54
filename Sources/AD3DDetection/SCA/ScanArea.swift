import AD3DPointCloud

/// The surface area a scan shows, estimated from its point spacing: N points whose median
/// distance to their nearest neighbour is s cover about N·s² (times a constant that depends only on
/// how the scanner samples, so it cancels between scans of one scanner, whatever their density).
/// A single view shows a fraction of the area a complete scan shows, which tells the two apart
/// before any registration.
public enum ScanArea {
    /// Points whose nearest-neighbour distances give the spacing.
    static let spacingSamples = 2048
    /// Largest fraction of the training scans' area that a scan taken for a single view shows. A
    /// view sees at most about two thirds of a part (measured on the built-in parts: 0.24–0.46 of
    /// the area of a complete scan); a complete scan with a hole still shows nine tenths.
    public static let viewFraction: Float = 0.7

    /// N·s² of `cloud` (model units²; 0 for fewer than two distinct points).
    public static func estimate(of cloud: PointCloud) throws -> Float {
        guard cloud.count >= 2 else { return 0 }
        let spacing = try KDTree(cloud).medianSpacing(at: try Downsampling.fixedSubset(cloud, count: spacingSamples))
        return Float(cloud.count) * spacing * spacing
    }

    /// The mean area of `scans` (0 for none).
    public static func mean(of scans: [PointCloud]) throws -> Float {
        guard !scans.isEmpty else { return 0 }
        return try scans.reduce(Float(0)) { $0 + (try estimate(of: $1)) } / Float(scans.count)
    }
}
