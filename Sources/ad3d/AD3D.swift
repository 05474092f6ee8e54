import ArgumentParser

/// The `ad3d` command: finds surface defects on 3D-scanned parts.
@main
struct AD3D: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ad3d",
        abstract: "Find surface defects on 3D scans of industrial parts.",
        discussion: """
            Learn what good parts look like from a folder of scans, then score new scans point by \
            point. Data follows the Real3D-AD layout: CATEGORY/train/ (good scans), CATEGORY/test/, \
            CATEGORY/gt/ (per-point labels of defective test scans).
            """,
        version: "0.1.0",
        subcommands: [TrainCommand.self, InferCommand.self, EvalCommand.self, ReportCommand.self, FeaturesCommand.self, InfoCommand.self, BenchCommand.self, SynthCommand.self, PretrainCommand.self]
    )
}
