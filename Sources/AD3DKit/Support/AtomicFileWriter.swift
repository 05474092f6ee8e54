import Foundation

/// Writes files so that a reader never sees a half-written result: the bytes go to a
/// temporary file next to the destination, which is then renamed over it.
public enum AtomicFileWriter {
    /// Writes `data` to `url` atomically, creating the parent directory if needed.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { handle in try handle.write(contentsOf: data) }
    }

    /// Streams content into a temporary file via `body`, then renames it to `url`.
    /// On any error the temporary file is removed and the destination is untouched.
    public static func write(to url: URL, _ body: (FileHandle) throws -> Void) throws {
        let directory = url.deletingLastPathComponent()
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FileWriteError.cannotCreate(path: directory.path, reason: error.localizedDescription)
        }
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard fileManager.createFile(atPath: temporary.path, contents: nil) else {
            throw FileWriteError.cannotCreate(path: url.path, reason: "cannot create a temporary file in \(directory.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try body(handle)
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? fileManager.removeItem(at: temporary)
            throw FileWriteError.cannotCreate(path: url.path, reason: reason)
        }
    }
}

/// A failure to write an output file.
public enum FileWriteError: Error, LocalizedError, Equatable {
    /// The file (or its directory) could not be created.
    case cannotCreate(path: String, reason: String)

    public var errorDescription: String? {
        switch self {
        case .cannotCreate(let path, let reason): return "\(path): cannot write: \(reason)"
        }
    }
}
