import Foundation

/// A one-line progress bar on stderr, counting the units its label names, with the time spent
/// and an ETA from the average time per unit so far; drawn only when `enabled` (stderr is a
/// terminal and not `--quiet`), so that pipes, logs and CI stay clean. A phase that took more
/// than a second stays on screen, filled, with its total time.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var completed = 0
    private var note = ""

    /// A bar for `total` units of work; it draws nothing unless `enabled`.
    init(_ label: String, total: Int, enabled: Bool) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    /// Marks `units` more units done, with an optional note (e.g. the current loss) after the bar.
    func advance(by units: Int = 1, note: String = "") {
        update(completed: completed + units, note: note)
    }

    /// Sets how many units are done.
    func update(completed done: Int, note: String = "") {
        completed = min(max(done, 0), total)
        if !note.isEmpty { self.note = note }
        guard enabled else { return }
        let now = Date()
        // Redrawing more than ~10 times a second only costs time.
        guard completed == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        draw(elapsed: now.timeIntervalSince(start), final: false)
    }

    /// Prints `text` on stdout above the bar, then redraws the bar.
    func printAbove(_ text: String) {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
        if enabled { draw(elapsed: Date().timeIntervalSince(start), final: false) }
    }

    /// Ends the bar: filled, with its total time, when the phase took more than a second, else cleared.
    func finish() {
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed > 1 else {
            FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
            return
        }
        completed = total
        draw(elapsed: elapsed, final: true)
    }

    private func draw(elapsed: TimeInterval, final: Bool) {
        let width = 28
        let filled = completed * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let time = final
            ? Self.clock(elapsed)
            : Self.clock(elapsed) + " < " + (completed > 0 ? Self.clock(elapsed / Double(completed) * Double(total - completed)) : "?")
        let line = "\r\u{1B}[2K\(label) \(bar) \(completed)/\(total)  \(time) \(note)" + (final ? "\n" : "")
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func clock(_ seconds: TimeInterval) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
