import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor

/// A prepared SCA training (`SCATrainer.prepare`): the normalised scans, their encoded augmented
/// copies and the head, from which the detector of all scans, or of any subset of them, is assembled
/// by building the patch memory and the surface template of that subset.
public struct SCATrainingRun: Sendable {
    /// The configuration, with the frame scale and the head's statistics measured on all scans.
    let configuration: SCAConfiguration
    /// The frozen encoder.
    let encoder: PointMAEEncoder
    /// The head trained on every scan's copies (nil when the read-out does not use it).
    let head: DetectorHead?
    /// The registration onto the first scan (nil when the configuration registers nothing).
    let registration: RigidRegistration?
    /// The scans in the model frame, registered as the configuration says.
    let normalisedScans: [PointCloud]
    /// The encoded copies, scan-major (`augmentationsPerScan` per scan; none for read-out `.none`).
    let samples: [TokenSample]
    /// Seed of the patch memory's coreset.
    let memorySeed: UInt64

    /// Number of training scans.
    public var scanCount: Int { normalisedScans.count }

    /// The detector whose patch memory and surface template hold only the scans at `indices`
    /// (sorted, non-empty); the frame, the registration reference and the head stay those of all scans.
    public func detector(trainedOn indices: [Int]) throws -> SCADetector {
        precondition(!indices.isEmpty && indices.allSatisfy(normalisedScans.indices.contains), "a subset of the training scans")
        var configuration = configuration
        var memory: PatchMemory?
        if configuration.readout.usesMemory {
            let copies = configuration.augmentationsPerScan
            let subset = indices.flatMap { scan in samples[(scan * copies)..<((scan + 1) * copies)] }
            (memory, configuration.memoryStatistics) = try Self.buildMemory(
                samples: subset, copiesPerScan: copies, ratio: configuration.memoryRatio,
                positionWeight: configuration.memoryPositionWeight, seed: memorySeed)
        }
        var surface: SurfaceTemplate?
        if configuration.surfaceDeviation {
            let scans = indices.map { normalisedScans[$0] }
            let calibrated = try SurfaceTemplate.calibrated(scans: scans, warp: configuration.surfaceWarp)
            surface = calibrated.template
            configuration.surfaceWarp = calibrated.template.isNonRigid ? .always : .never
            configuration.surfaceStatistics = calibrated.statistics
            let cleanScansCover = calibrated.uncoveredFraction <= CoverageGaps.largestCleanUncoveredFraction
            configuration.viewCoverageGaps = configuration.coverageGaps && !cleanScansCover
            configuration.coverageGaps = configuration.coverageGaps && cleanScansCover
            configuration.trainingArea = try ScanArea.mean(of: scans)
        }
        return SCADetector(
            configuration: configuration, encoder: configuration.readout.usesEncoder ? encoder : nil, head: head, memory: memory,
            registration: registration, surface: surface)
    }

    /// The patch memory of the encoded copies (in scan-major order). The last copy of every scan
    /// is held out to calibrate the distances when there are at least two copies per scan.
    private static func buildMemory(
        samples: [TokenSample], copiesPerScan: Int, ratio: Float, positionWeight: Float, seed: UInt64
    ) throws -> (PatchMemory, ScoreStatistics) {
        let heldOut = copiesPerScan > 1 ? Set(stride(from: copiesPerScan - 1, to: samples.count, by: copiesPerScan)) : []
        let remembered = samples.indices.filter { !heldOut.contains($0) }
        let calibration = heldOut.isEmpty ? remembered : heldOut.sorted()
        func stacked(_ rows: [Int], _ part: KeyPath<TokenSample, Tensor>) -> Tensor {
            Tensor.concatenate(rows.map { samples[$0][keyPath: part] }, alongAxis: 0)
        }
        return try PatchMemory.build(
            features: stacked(remembered, \.features), centers: stacked(remembered, \.centers), ratio: ratio,
            positionWeight: positionWeight, calibration: (stacked(calibration, \.features), stacked(calibration, \.centers)),
            seed: seed)
    }
}
