import Foundation

/// Checks made before reading a whole input file into memory, so that a folder, a pipe, a device
/// or an unreadable path gets a message that says so instead of a system error code.
public enum ReadableFile {
    /// Why the file at `url` cannot be read as an ordinary file, or nil when it can.
    public static func problem(at url: URL) -> String? {
        var info = stat()
        guard stat(url.path, &info) == 0 else { return systemMessage(errno) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "it is a folder, not a file"
        default: return "it is not a regular file (a pipe, device or socket cannot be read as a scan or model)"
        }
        guard access(url.path, R_OK) == 0 else { return systemMessage(errno) }
        return nil
    }

    /// The contents of the regular file at `url`; `describe` turns a reason into the caller's error.
    public static func contents<Failure: Error>(of url: URL, failure describe: (String) -> Failure) throws(Failure) -> Data {
        if let problem = problem(at: url) { throw describe(problem) }
        do {
            return try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw describe(problem(at: url) ?? "the system refused to read it")
        }
    }

    private static func systemMessage(_ code: Int32) -> String {
        String(cString: strerror(code)).lowercased()
    }
}
