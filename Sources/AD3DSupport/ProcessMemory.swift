import Foundation

/// Memory use of the current process, read from Linux's `/proc/self/status`.
public enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes, or nil where `/proc` is unavailable.
    public static var peakResidentBytes: Int? { statusValue("VmHWM") }

    /// Current resident set size (`VmRSS`) in bytes, or nil where `/proc` is unavailable.
    public static var residentBytes: Int? { statusValue("VmRSS") }

    /// A `kB` line of `/proc/self/status`, in bytes.
    private static func statusValue(_ key: String) -> Int? {
        // procfs reports size 0, so read to the end rather than by the reported length.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status"),
              let data = try? handle.readToEnd() else { return nil }
        try? handle.close()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key + ":") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
