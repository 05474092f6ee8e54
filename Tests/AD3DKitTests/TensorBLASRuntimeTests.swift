import Testing
import AD3DKit
@testable import AD3DTensor

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
        #expect((BLASRuntime.threadCount ?? 0) >= 1)
        // Inside a single-threaded section the setter has been found and called; sections nest.
        // (Other tests' sections may overlap this one, so the count after it is not checked.)
        BLASRuntime.singleThreaded {
            #expect(BLASRuntime.threadCount == 1)
            BLASRuntime.singleThreaded { #expect(BLASRuntime.threadCount == 1) }
            #expect(BLASRuntime.threadCount == 1)
        }
    }
}
