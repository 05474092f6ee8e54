import AD3DModels
import AD3DPointCloud

/// The frozen encoder used while no pretrained weights are given: a seeded random Point-MAE
/// encoder with variance-scaled weights whose first layer is matched to the size of the category's
/// patches. Point-MAE's own initialisation (std 0.02) makes patch tokens ~10⁻⁵ in size, so its
/// features encode the patch position and next to nothing of the local shape; matched to the
/// patches, the random mini-PointNet yields shape-sensitive tokens of unit order.
public enum RandomEncoder {
    /// A random encoder of `configuration` from `seed`, fitted to the training `scans` (raw): they
    /// are normalised by `frameMode` and their category scale, as the detector will see them.
    public static func fitted(
        configuration: PointMAEConfiguration, seed: UInt64, scans: [PointCloud], frameMode: FrameMode, encodedPoints: Int
    ) throws -> PointMAEEncoder {
        let frame = ScanFrame(mode: frameMode, scale: ScanFrame.categoryScale(of: scans))
        let radius = try patchRadius(of: scans.map(frame.normalise), configuration: configuration, encodedPoints: encodedPoints)
        return try PointMAEEncoder(configuration: configuration, seed: seed, initialization: .varianceScaled(inputScale: radius))
    }

    /// The root-mean-square length of the patch points' coordinates relative to their centre over
    /// the encoder's patches of `clouds` (already in the model frame); 1 when there is none.
    public static func patchRadius(of clouds: [PointCloud], configuration: PointMAEConfiguration, encodedPoints: Int) throws -> Float {
        var sum = 0.0, count = 0
        for cloud in clouds {
            let relative = try ScanEncoder.patches(of: cloud, configuration: configuration, encodedPoints: encodedPoints)
                .neighborhoods.storage
            for value in relative { sum += Double(value * value) }
            count += relative.count / 3
        }
        return sum > 0 ? Float((sum / Double(count)).squareRoot()) : 1
    }
}
