import Foundation

/// Standard error as a `TextOutputStream`, for diagnostics that must stay off stdout.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

/// Prints `error` as one line on stderr, using its `LocalizedError` text when it has one.
func printError(_ error: Error) {
    var stderr = StandardError()
    print("Error: \(PrintableError(error).message)", to: &stderr)
}

/// Whether stderr is an interactive terminal (progress bars are drawn only then).
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
