import Testing
@testable import AD3DKit

@Test func seededGeneratorIsDeterministic() {
    var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
    #expect((0..<10).map { _ in a.next() } == (0..<10).map { _ in b.next() })
}
