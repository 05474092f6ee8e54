import ArgumentParser
import Foundation
import Logging

/// `--quiet` and `--verbose`, on every subcommand: how much the `Logger` of the run says on stderr.
struct LoggingOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Print results, warnings and errors only: no notes, no progress bars.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Also print debug notes, such as how long each stage took.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose exclude each other.") }
    }

    /// The run's logger: notes (info) and up by default, warnings and up with `--quiet`, debug with `--verbose`.
    var logger: Logger {
        let level: Logger.Level = quiet ? .warning : verbose ? .debug : .info
        return Logger(label: "ad3d") { _ in StandardErrorLogHandler(logLevel: level) }
    }

    /// Whether progress bars are drawn: on a terminal, unless `--quiet`.
    var showsProgress: Bool { !quiet && standardErrorIsTerminal }
}

/// Writes log messages to stderr, one line each: notes as they are, other levels prefixed by
/// their name (`warning: …`, `debug: …`). On a terminal the line of a progress bar is cleared first.
struct StandardErrorLogHandler: LogHandler {
    var logLevel: Logger.Level
    var metadata = Logger.Metadata()

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let prefix = event.level == .info || event.level == .notice ? "" : "\(event.level): "
        let clear = standardErrorIsTerminal ? "\r\u{1B}[2K" : ""
        FileHandle.standardError.write(Data((clear + prefix + event.message.description + "\n").utf8))
    }
}
