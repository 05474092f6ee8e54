/// Wall-clock timing for benchmarks (never for tests: timings are reported, not asserted).
public enum Stopwatch {
    /// The best (smallest) of `repetitions` runs of `body`, in seconds.
    public static func bestOf(_ repetitions: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, repetitions) {
            let elapsed = try clock.measure(body)
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return best
    }
}
