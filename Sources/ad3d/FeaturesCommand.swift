import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d features`: exports what the encoder sees and says about one scan.
struct FeaturesCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Export a scan's patches and Point-MAE encoder features as .npy files.",
        discussion: """
            For analysis in other tools and for checking the encoder against the reference \
            implementation. The scan is normalised as in training (frame, then divided by its \
            bounding-box diagonal, or by --scale), subsampled to --encoder-points, grouped (FPS from index \
            0, K nearest neighbours, centre included) and encoded. Writes into DIR:

              centers.npy     [G, 3]     patch centres (normalised coordinates)
              patches.npy     [G, K, 3]  neighbourhoods relative to their centre
              block<N>.npy    [G, D]     output of tapped block N (counted from 1) through the final norm
              features.npy    [G, T·D]   the tapped blocks concatenated (the detector's input)

            Feeding centers.npy and patches.npy to the reference Point-MAE encoder with the same \
            weights must reproduce block<N>.npy and features.npy.
            """
    )

    @Argument(help: "The scan (any supported format).")
    var scan: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Folder to write the .npy files into.", valueName: "dir"))
    var output: String

    @OptionGroup var encoderOptions: EncoderOptions

    @Option(help: "Points of the scan used for patching (random subsample, fixed seed).")
    var encoderPoints = 8192

    @Option(help: "Scan frame: centroid or none.")
    var frame: FrameMode = .centroid

    @Option(help: "Length that becomes 1 (default: the scan's bounding-box diagonal).")
    var scale: Float?

    @OptionGroup var scanOptions: ScanOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var runtime: RuntimeOptions

    func validate() throws {
        guard encoderPoints > 0, (scale ?? 1) > 0 else {
            throw ValidationError("--encoder-points and --scale must be positive.")
        }
    }

    func execute() throws {
        let cloud = try PointCloudReader.read(
            URL(fileURLWithPath: scan), meshSampleCount: scanOptions.meshPoints, seed: runtime.seed).cloud
        let model = try encoderOptions.load(seed: runtime.seed, fittedTo: [cloud], frame: frame, encodedPoints: encoderPoints).encoder
        let configuration = model.configuration
        let scanFrame = ScanFrame(mode: frame, scale: scale ?? ScanFrame.categoryScale(of: [cloud]))
        let patches = try ScanEncoder.patches(
            of: scanFrame.normalise(cloud), configuration: configuration, encodedPoints: encoderPoints)
        let encoded = model.features(centers: patches.centers, neighborhoods: patches.neighborhoods)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        try NPYFile.write(patches.centers, to: folder.appendingPathComponent("centers.npy"))
        try NPYFile.write(patches.neighborhoods, to: folder.appendingPathComponent("patches.npy"))
        for (tap, block) in zip(configuration.taps, encoded.taps) {
            try NPYFile.write(block, to: folder.appendingPathComponent("block\(tap + 1).npy"))
        }
        try NPYFile.write(encoded.features, to: folder.appendingPathComponent("features.npy"))
    }
}
