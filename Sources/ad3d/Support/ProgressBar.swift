import Foundation

/// A one-line progress bar with an ETA, drawn on stderr only when stderr is a terminal,
/// so that pipes, logs and CI stay clean.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var completed = 0

    /// A bar for `total` units of work; it draws nothing unless stderr is a TTY.
    init(_ label: String, total: Int, enabled: Bool = standardErrorIsTerminal) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Marks `units` more units done, with an optional note (e.g. the current loss) after the bar.
    func advance(by units: Int = 1, note: String = "") {
        completed = min(completed + units, total)
        guard enabled else { return }
        let now = Date()
        // Redrawing more than ~10 times a second only costs time.
        guard completed == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        draw(note: note, elapsed: now.timeIntervalSince(start))
    }

    /// Clears the bar's line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    private func draw(note: String, elapsed: TimeInterval) {
        let fraction = Double(completed) / Double(total)
        let width = 28
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let eta = completed > 0 ? elapsed / fraction - elapsed : 0
        let line = "\r\u{1B}[2K\(label) \(bar) \(completed)/\(total)  \(Self.clock(elapsed)) < \(Self.clock(eta)) \(note)"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func clock(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
