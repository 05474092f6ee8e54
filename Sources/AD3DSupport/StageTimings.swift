/// Wall-clock time spent in each named stage of a pipeline run, for benchmarks.
public final class StageTimings: @unchecked Sendable {
    /// `(stage, seconds)` in the order the stages ran; a repeated stage accumulates.
    public private(set) var stages: [(name: String, seconds: Double)] = []

    /// An empty record.
    public init() {}

    /// Runs `body` and adds its duration to stage `name`.
    public func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let clock = ContinuousClock()
        var result: T?
        let elapsed = try clock.measure { result = try body() }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        if let index = stages.firstIndex(where: { $0.name == name }) {
            stages[index].seconds += seconds
        } else {
            stages.append((name, seconds))
        }
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
