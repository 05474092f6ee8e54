import AD3DKit
import ArgumentParser
import Foundation

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
        subcommands: [TrainCommand.self, InferCommand.self, EvalCommand.self, FeaturesCommand.self, InfoCommand.self, BenchCommand.self, SynthCommand.self, PretrainCommand.self]
    )

    /// Parses and runs the subcommand; a failure while running is printed as one line of
    /// printable characters (file content quoted in messages cannot reach the terminal raw).
    static func main() async {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ValidationError {
            exit(withError: error)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch {
            exit(withError: PrintableError(error))
        }
    }
}

/// An error whose message is the wrapped error's, on one line, with control characters escaped.
struct PrintableError: Error, LocalizedError {
    let message: String

    init(_ error: Error) {
        message = TextFormatting.printable(error.localizedDescription)
    }

    var errorDescription: String? { message }
}
