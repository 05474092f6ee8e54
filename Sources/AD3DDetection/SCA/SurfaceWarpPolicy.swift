/// Whether the SCA detector's surface template fits a smooth warp (`SmoothWarp`) on top of the rigid
/// fit, so that clean instances that differ smoothly (natural products, loose tolerances) do not
/// read as deviations.
public enum SurfaceWarpPolicy: String, Sendable, Codable, CaseIterable {
    /// Training decides: warp when it explains much of how the clean training scans differ
    /// (held-out deviations shrink by more than `shrinkage`), as a defect-sized change cannot.
    case auto
    /// Always warp.
    case always
    /// Never warp (rigid fit only).
    case never

    /// Held-out clean deviations must shrink by more than this factor under the warp for `.auto`
    /// to warp. Identical instances shrink by 0.99–1.08 (the warp fits some noise; bracket, gear and
    /// knob of aligned, jittered, noisier, registered and single-view sets), instances deformed by
    /// `ad3d synth --variation 0.01` by 2.7–4.2.
    public static let shrinkage: Float = 1.6
}
