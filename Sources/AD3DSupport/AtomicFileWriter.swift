import Foundation

/// Writes files so that a reader never sees a half-written result: the bytes go to a
/// temporary file next to the destination, `.NAME.PID.RANDOM.tmp`, which is then renamed over it.
/// A writer killed before the rename leaves its temporary behind; the first write into that folder
/// by a later process removes such leftovers of processes that are no longer running.
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
        removeStaleTemporaries(of: url)
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

extension AtomicFileWriter {
    /// Removes, once per folder and process, the `.NAME.PID.RANDOM.tmp` files in the folder of
    /// `url` whose process `PID` no longer runs (writers killed before their rename).
    static func removeStaleTemporaries(of url: URL) {
        let directory = url.deletingLastPathComponent()
        guard cleanedFolders.claim(directory.path),
            let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return }
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropLast(".tmp".count).split(separator: ".")
            guard parts.count >= 3, let process = Int32(parts[parts.count - 2]), process > 0,
                UInt32(parts[parts.count - 1]) != nil
            else { continue }
            if kill(process, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }

    /// The folders this process has already cleaned.
    private static let cleanedFolders = ClaimedPaths()
}

/// A set of paths, each claimed by the first caller to ask for it (thread-safe).
private final class ClaimedPaths: @unchecked Sendable {
    private let lock = NSLock()
    private var paths = Set<String>()

    /// Whether `path` was not claimed before (it is now).
    func claim(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return paths.insert(path).inserted
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
