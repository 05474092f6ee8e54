import Foundation

/// A fresh folder under the system temporary directory, removed when the value goes away.
final class EvaluationTemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ad3d-evaluation-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `text` to `relativePath` (creating folders) and returns its URL.
    @discardableResult
    func write(_ text: String, to relativePath: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Creates the (empty) folder `relativePath` and returns its URL.
    @discardableResult
    func folder(_ relativePath: String) throws -> URL {
        let folder = url.appendingPathComponent(relativePath, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// An `x y z` scan with `count` points, as a `.txt` point cloud.
    static func scanText(points count: Int) -> String {
        (0..<count).map { "\($0) \(2 * $0) 0.5\n" }.joined()
    }

    /// A ground-truth file: one `x y z label` line per label.
    static func groundTruthText(labels: [UInt8]) -> String {
        labels.enumerated().map { "\($0.offset) 1.5 -2 \($0.element)\n" }.joined()
    }
}
