import AD3DKit
import ArgumentParser

/// `--registration`: whether training and scoring move every scan onto a reference training scan.
enum RegistrationChoice: String, CaseIterable, ExpressibleByArgument {
    /// With `--pose any`, or when the training scans do not share one pose.
    case auto
    /// Always (complete scans only).
    case always
    /// Never: parts in any pose are handled by randomly rotated training copies instead.
    case never
}

extension SCATrainingOptions {
    /// The default λ for complete scans in one pose (aligned, or registered): point AUROC rose with
    /// λ from 0 to 40 on aligned and jittered synthetic scans; 20 keeps a margin for scans placed
    /// less precisely (README).
    static let alignedPositionWeight: Float = 20

    /// Median gap between training scans (`ScanAlignment`, fraction of the diagonal) above which
    /// they are taken not to share one pose. On the seven built-in parts, aligned or ≤ 3° tilted
    /// scans measured 0.003–0.008 (8k–100k points) and 0.011–0.015 (2k points); randomly rotated
    /// ones 0.054–0.10.
    static let alignmentTolerance: Float = 0.03

    /// Whether scans are registered, and λ: as given, else `alignedPositionWeight` when the scans
    /// end up in one pose and 0 otherwise (single views, whose centroids move, and unregistered
    /// scans in several poses). With `--registration auto` and `--pose aligned` the training scans
    /// decide: when they do not lie on top of each other they are registered, and stderr says so.
    func poseHandling(for scans: [PointCloud], label: String, seed: UInt64) throws -> (registersScans: Bool, positionWeight: Float) {
        func handling(registers: Bool, onePose: Bool) -> (registersScans: Bool, positionWeight: Float) {
            (registers, memoryPositionWeight ?? (onePose ? Self.alignedPositionWeight : 0))
        }
        if partialViews { return handling(registers: false, onePose: false) }
        switch (registration, pose) {
        case (.always, _), (.auto, .any):
            return handling(registers: true, onePose: true)
        case (.never, .any):
            return handling(registers: false, onePose: false)
        case (.auto, .aligned), (.never, .aligned):
            if try trainingScansSharePose(scans, label: label, seed: seed) { return handling(registers: false, onePose: true) }
            return handling(registers: registration == .auto, onePose: registration == .auto)
        }
    }

    /// Whether the training scans lie on top of each other (`ScanAlignment.gap` within
    /// `alignmentTolerance`); says on stderr what follows when they do not.
    private func trainingScansSharePose(_ scans: [PointCloud], label: String, seed: UInt64) throws -> Bool {
        guard let gap = try ScanAlignment.gap(of: scans, mode: frame, seed: seed), gap > Self.alignmentTolerance else { return true }
        let consequence = registration == .auto
            ? "so every scan is registered onto the first training scan before encoding (--registration never turns this off)"
            : "so patch positions are not compared with --registration never; align them or pass --registration auto"
        var stderr = StandardError()
        print("\(label): the training scans do not lie on top of each other (median gap \(String(format: "%.3f", gap)) of the diagonal), "
              + consequence + ".", to: &stderr)
        return false
    }
}
