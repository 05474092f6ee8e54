import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport

@Suite struct SupportTests {
    @Test func seededGeneratorIsDeterministicAndSeedSensitive() {
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7), c = SeededGenerator(seed: 8)
        let first = (0..<10).map { _ in a.next() }
        #expect(first == (0..<10).map { _ in b.next() })
        #expect(first != (0..<10).map { _ in c.next() })
    }

    @Test func unitFloatsStayInRangeAndGaussiansHaveUnitMoments() {
        var generator = SeededGenerator(seed: 1)
        let uniforms = (0..<10_000).map { _ in generator.nextUnitFloat() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
        let normals = (0..<50_000).map { _ in Double(generator.nextGaussian()) }
        let mean = normals.reduce(0, +) / Double(normals.count)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(normals.count)
        #expect(abs(mean) < 0.02)
        #expect(abs(variance - 1) < 0.03)
    }

    @Test func nestedStagesAreRecordedOneDeeperAndLeftOutOfTheTotal() {
        let timings = StageTimings()
        timings.measure("outer") {
            timings.measure("inner") { _ = usleep(2000) }
            timings.measure("inner") { _ = usleep(2000) }
        }
        timings.measure("after") { _ = usleep(1000) }
        #expect(timings.stages.map(\.name) == ["outer", "inner", "after"])
        #expect(timings.stages.map(\.depth) == [0, 1, 0])
        let seconds = Dictionary(uniqueKeysWithValues: timings.stages.map { ($0.name, $0.seconds) })
        #expect(seconds["inner"]! >= 0.004 && seconds["outer"]! >= seconds["inner"]!)
        #expect(abs(timings.totalSeconds - seconds["outer"]! - seconds["after"]!) < 1e-9)
    }

    @Test func tableAlignsColumnsWithoutTrailingSpaces() {
        let text = TextFormatting.table([["name", "value", ""], ["a", "1.5", ""], ["long name", "10", "x"]])
        #expect(text == """
            name       value
            a            1.5
            long name     10  x
            """)
    }

    @Test func jsonHasSortedKeysOnOneLine() throws {
        struct Sample: Encodable { let zeta = 1; let alpha = "a/b"; let missing: Int? = nil }
        #expect(try TextFormatting.json(Sample()) == #"{"alpha":"a/b","zeta":1}"#)
    }

    @Test func atomicWriteReplacesTheFileAndLeavesNoTemporaryOnFailure() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-atomic-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("out.txt")
        try AtomicFileWriter.write(Data("first".utf8), to: target)
        try AtomicFileWriter.write(Data("second".utf8), to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")

        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try AtomicFileWriter.write(to: target) { handle in
                try handle.write(contentsOf: Data("partial".utf8))
                throw Interrupted()
            }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.txt"])
    }

    @Test func atomicWriteRemovesTemporariesOfKilledWritersOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-atomic-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let stale = ".model.safetensors.\(finished.processIdentifier).12345.tmp"
        let live = ".model.safetensors.\(ProcessInfo.processInfo.processIdentifier).7.tmp"
        let unrelated = ".notes.tmp"
        for name in [stale, live, unrelated] {
            try Data("x".utf8).write(to: directory.appendingPathComponent(name))
        }
        try AtomicFileWriter.write(Data("model".utf8), to: directory.appendingPathComponent("model.safetensors"))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(left == [live, unrelated, "model.safetensors"].sorted())
    }

    @Test func printableEscapesControlAndInvisibleCharacters() {
        #expect(TextFormatting.printable("a\rb\u{1B}[31m\0c\u{202E}é✓") == "a\\u{D}b\\u{1B}[31m\\u{0}c\\u{202E}é✓")
    }

    @Test func peakMemoryIsReportedAndAtLeastTheCurrentResidentSize() throws {
        // Current first: other tests run in parallel and may raise both between the two reads.
        let current = try #require(ProcessMemory.residentBytes)
        let peak = try #require(ProcessMemory.peakResidentBytes)
        #expect(peak >= current && current > 0)
    }
}
