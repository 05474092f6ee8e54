import Foundation

/// Which BLAS implementation the process is actually running, and control of its threads.
///
/// Debian picks the runtime `libblas.so.3` through update-alternatives, so the library linked
/// at build time says nothing about the one in use; this enum asks the running process instead.
/// OpenBLAS-specific entry points are looked up with `dlsym` and are nil under reference BLAS.
public enum BLASRuntime {
    /// Resolved real paths of every BLAS shared object mapped into this process (file names
    /// containing "blas", e.g. `libblas.so.3` and the `libopenblas*.so` it forwards to), in
    /// first-mapped order, read from `/proc/self/maps`. Empty where that file does not exist.
    public static var loadedLibraryPaths: [String] {
        // procfs reports a size of 0, and whole-file readers that trust it stop after one page;
        // FileHandle reads until end of file.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/maps"),
              let data = try? handle.readToEnd(),
              let maps = String(data: data, encoding: .utf8) else { return [] }
        var paths: [String] = []
        for line in maps.split(separator: "\n") {
            // The path is the sixth field and may itself contain spaces.
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6 else { continue }
            let mapped = fields[5].trimmingCharacters(in: .whitespaces)
            guard mapped.hasPrefix("/"),
                  (mapped as NSString).lastPathComponent.lowercased().contains("blas") else { continue }
            let resolved = realPath(mapped)
            if !paths.contains(resolved) { paths.append(resolved) }
        }
        return paths
    }

    /// The BLAS library doing the work: the OpenBLAS object when one is mapped, otherwise the
    /// first BLAS object found; nil when none can be found (no `/proc`, static linking).
    public static var loadedLibraryPath: String? {
        let paths = loadedLibraryPaths
        return paths.first { $0.lowercased().contains("openblas") } ?? paths.first
    }

    /// Number of threads OpenBLAS uses for one call, or nil when the runtime is not OpenBLAS.
    public static var threadCount: Int? {
        symbol("openblas_get_num_threads", as: (@convention(c) () -> Int32).self).map { Int($0()) }
    }

    /// Sets the OpenBLAS thread count (at least 1); returns false, changing nothing, when the
    /// runtime is not OpenBLAS. Results stay deterministic for a fixed count.
    @discardableResult
    public static func setThreadCount(_ count: Int) -> Bool {
        precondition(count >= 1, "BLAS thread count must be at least 1, got \(count)")
        guard let set = symbol("openblas_set_num_threads", as: (@convention(c) (Int32) -> Void).self) else {
            return false
        }
        set(Int32(clamping: count))
        return true
    }

    /// A human-readable description such as "OpenBLAS 0.3.21 (pthread, Haswell)", or for another
    /// implementation the file name of the library mapped into the process.
    public static var name: String {
        guard let config = cString(from: "openblas_get_config") else {
            return loadedLibraryPath.map { "BLAS (\(($0 as NSString).lastPathComponent))" } ?? "unknown BLAS"
        }
        // The config string is e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64".
        let version = config.split(separator: " ").prefix(2).joined(separator: " ")
        var details: [String] = []
        let modes = ["sequential", "pthread", "OpenMP"]
        if let mode = symbol("openblas_get_parallel", as: (@convention(c) () -> Int32).self).map({ Int($0()) }),
           modes.indices.contains(mode) {
            details.append(modes[mode])
        }
        if let core = cString(from: "openblas_get_corename") { details.append(core) }
        return details.isEmpty ? version : "\(version) (\(details.joined(separator: ", ")))"
    }

    /// The string returned by a C function `const char *f(void)` named `name`, if it is present.
    private static func cString(from name: String) -> String? {
        guard let function = symbol(name, as: (@convention(c) () -> UnsafePointer<CChar>?).self),
              let pointer = function() else { return nil }
        return String(cString: pointer)
    }

    /// The global-scope symbol `name` cast to the C function type `type`, or nil when absent.
    private static func symbol<F>(_ name: String, as type: F.Type) -> F? {
        // dlopen(nil) is the main program's handle, whose lookup scope includes every library
        // loaded at startup, so symbols of the BLAS that libblas.so.3 forwards to are visible.
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(handle) }
        return dlsym(handle, name).map { unsafeBitCast($0, to: type) }
    }

    /// `path` with symbolic links resolved, or `path` itself if it cannot be resolved.
    private static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension BLASRuntime {
    /// Runs `body` with the BLAS limited to one thread (when the runtime can be told): while
    /// several scans run in parallel the cores are already busy, and a product whose last bits
    /// must not depend on the thread count (OpenBLAS splits a product differently for another
    /// count, and its edge kernels round differently) comes out the same for any `--jobs`.
    /// Overlapping calls from several threads are safe: the count drops to one at the first and
    /// comes back when the last ends.
    public static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        singleThreadLeases.acquire()
        defer { singleThreadLeases.release() }
        return try body()
    }

    /// The open `singleThreaded` calls of the process.
    private static let singleThreadLeases = SingleThreadLeases()
}

/// Counts overlapping `BLASRuntime.singleThreaded` calls: the first sets one BLAS thread, the last
/// restores the count it found.
private final class SingleThreadLeases: @unchecked Sendable {
    private let lock = NSLock()
    private var open = 0
    private var previousCount: Int?

    func acquire() {
        lock.lock()
        defer { lock.unlock() }
        if open == 0 {
            previousCount = BLASRuntime.threadCount
            if let previousCount, previousCount != 1 { BLASRuntime.setThreadCount(1) }
        }
        open += 1
    }

    func release() {
        lock.lock()
        defer { lock.unlock() }
        open -= 1
        if open == 0, let previousCount, previousCount != 1 { BLASRuntime.setThreadCount(previousCount) }
    }
}
