import Testing
@testable import AD3DKit

@Suite struct TensorBLASRuntimeTests {
    @Test func loadedLibraryIsABLASObject() throws {
        let path = try #require(BLASRuntime.loadedLibraryPath)
        #expect(path.hasPrefix("/"))
        #expect(path.lowercased().contains("blas"))
        #expect(BLASRuntime.loadedLibraryPaths.contains(path))
        #expect(!BLASRuntime.name.isEmpty)
    }

    @Test func openBLASReportsItselfAndItsThreads() {
        guard BLASRuntime.loadedLibraryPath?.lowercased().contains("openblas") == true else { return }
        #expect(BLASRuntime.name.hasPrefix("OpenBLAS "))
        let threads = BLASRuntime.threadCount
        #expect((threads ?? 0) >= 1)
        // Re-set the current count: changing it under other tests' concurrent sgemm calls would
        // make this suite racy, and the round trip still proves the setter is found and called.
        #expect(BLASRuntime.setThreadCount(threads ?? 1))
        #expect(BLASRuntime.threadCount == threads)
    }
}
