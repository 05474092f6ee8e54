import AD3DKit
import ArgumentParser
import Logging

/// `--registration`: which scans training and scoring move onto the first training scan.
enum RegistrationChoice: String, CaseIterable, ExpressibleByArgument {
    /// Every scan with `--pose any` or when the training scans do not share one pose; otherwise
    /// only a scan that arrives in another pose.
    case auto
    /// Always (complete scans only).
    case always
    /// Never: parts in any pose are handled by randomly rotated training copies instead.
    case never
}

extension SCATrainingOptions {
    /// The default λ for complete scans in one pose (aligned, or registered): point AUROC rose with
    /// λ from 0 to 40 on aligned and jittered synthetic scans; 20 keeps a margin for scans placed
    /// less precisely (docs/RESULTS.md).
    static let alignedPositionWeight: Float = 20

    /// The registration policy, whether the scans end up in one pose (not single views, whose
    /// centroids move, nor unregistered scans in several poses), and λ: as given, else
    /// `alignedPositionWeight` in one pose and 0 otherwise; `frame` is the training frame. With `--registration auto` and `--pose aligned` the training scans decide:
    /// when they do not lie on top of each other they are all registered (stderr says so), when
    /// they do, only a scan that arrives in another pose is.
    func poseHandling(for scans: [PointCloud], frame: FrameMode, label: String, seed: UInt64, logger: Logger) throws
        -> (registration: RegistrationPolicy, onePose: Bool, positionWeight: Float) {
        func handling(_ policy: RegistrationPolicy, onePose: Bool) -> (registration: RegistrationPolicy, onePose: Bool, positionWeight: Float) {
            (policy, onePose, memoryPositionWeight ?? (onePose ? Self.alignedPositionWeight : 0))
        }
        if partialViews { return handling(.never, onePose: false) }
        switch (registration, pose) {
        case (.always, _), (.auto, .any):
            return handling(.always, onePose: true)
        case (.never, .any):
            return handling(.never, onePose: false)
        case (.auto, .aligned), (.never, .aligned):
            let automatic = registration == .auto
            if try trainingScansSharePose(scans, frame: frame, label: label, seed: seed, logger: logger) { return handling(automatic ? .misplaced : .never, onePose: true) }
            return handling(automatic ? .always : .never, onePose: automatic)
        }
    }

    /// Whether the training scans lie on top of each other (`ScanAlignment.gap` within
    /// `ScanAlignment.samePoseGap`); says through `logger` what follows when they do not.
    private func trainingScansSharePose(_ scans: [PointCloud], frame: FrameMode, label: String, seed: UInt64, logger: Logger) throws -> Bool {
        guard let gap = try ScanAlignment.gap(of: scans, mode: frame, seed: seed), gap > ScanAlignment.samePoseGap else { return true }
        let consequence = registration == .auto
            ? "so every scan is registered onto the first training scan before encoding (--registration never turns this off)"
            : "so patch positions are not compared with --registration never; align them or pass --registration auto"
        let gapText = String(format: "%.3f", gap)
        logger.notice("\(label): the training scans do not lie on top of each other (median gap \(gapText) of the diagonal), \(consequence).")
        return false
    }
}
