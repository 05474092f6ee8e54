/// Wall-clock time spent in each named stage of a pipeline run, for benchmarks. A stage measured
/// inside another is recorded with a depth one greater, so that totals add up only the outermost.
public final class StageTimings: @unchecked Sendable {
    /// `(stage, seconds, depth)` in the order the stages began; a repeated stage accumulates.
    public private(set) var stages: [(name: String, seconds: Double, depth: Int)] = []
    /// How many measurements are running now.
    private var depth = 0

    /// An empty record.
    public init() {}

    /// The time of the outermost stages together.
    public var totalSeconds: Double { stages.filter { $0.depth == 0 }.map(\.seconds).reduce(0, +) }

    /// Runs `body` and adds its duration to stage `name`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        let index = stages.firstIndex(where: { $0.name == name }) ?? {
            stages.append((name, 0, depth))
            return stages.count - 1
        }()
        depth += 1
        defer { depth -= 1 }
        var result: T?
        let elapsed = try clock.measure { result = try body() }
        stages[index].seconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return result!
    }
}

extension Optional where Wrapped == StageTimings {
    /// Runs `body`, timing it as stage `name` when there is a record to write to.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard let timings = self else { return try body() }
        return try timings.measure(name, body)
    }
}
