import AD3DKit
import ArgumentParser
import Foundation

/// An `ad3d` subcommand: its work is `execute()`, and a failure there reaches the terminal as one
/// line of printable characters (file content quoted in a message cannot break the line or drive
/// the terminal); ArgumentParser's own errors pass through unchanged.
protocol AD3DSubcommand: ParsableCommand {
    /// `--quiet` and `--verbose`.
    var logging: LoggingOptions { get }

    /// The subcommand's work.
    func execute() throws
}

extension AD3DSubcommand {
    /// Runs `execute()`, turning its errors into `PrintableError`s.
    func run() throws {
        do {
            try execute()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch let error as CleanExit {
            throw error
        } catch {
            throw PrintableError(error)
        }
    }
}

/// An error whose message is the wrapped error's, with control characters escaped.
struct PrintableError: Error, LocalizedError {
    /// The escaped message.
    let message: String

    /// Wraps `error`.
    init(_ error: Error) {
        message = TextFormatting.printable(error.localizedDescription)
    }

    var errorDescription: String? { message }
}
