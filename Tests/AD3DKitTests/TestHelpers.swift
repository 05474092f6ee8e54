import Testing
import AD3DKit
@testable import AD3DTensor

/// Records an issue unless every `actual[i]` is within `atol + rtol · |expected[i]|` of `expected[i]`
/// (NaN never is), naming the worst element and how many are out of tolerance.
func expectClose(
    _ actual: [Float], _ expected: [Float], rtol: Float = 1e-5, atol: Float = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record("expected \(expected.count) values, got \(actual.count)", sourceLocation: sourceLocation)
        return
    }
    var failures = 0
    var worst: (index: Int, ratio: Float)?
    for i in actual.indices {
        let error = abs(actual[i] - expected[i]), tolerance = atol + rtol * abs(expected[i])
        guard !(error <= tolerance) else { continue }
        failures += 1
        let ratio = error.isNaN ? .infinity : error / tolerance
        if worst == nil || ratio > worst!.ratio { worst = (i, ratio) }
    }
    if let worst {
        let i = worst.index
        let message = "\(failures) of \(actual.count) values differ; worst at \(i): \(actual[i]) vs \(expected[i]) "
            + "(|diff| \(abs(actual[i] - expected[i])), tolerance \(atol + rtol * abs(expected[i])))"
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}

/// `expectClose` for tensors: the shapes must be equal and the elements close.
func expectClose(
    _ actual: Tensor, _ expected: Tensor, rtol: Float = 1e-5, atol: Float = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.shape == expected.shape else {
        Issue.record("expected shape \(expected.shape), got \(actual.shape)", sourceLocation: sourceLocation)
        return
    }
    expectClose(actual.storage, expected.storage, rtol: rtol, atol: atol, sourceLocation: sourceLocation)
}

/// `expectClose` for single values.
func expectClose(
    _ actual: Float, _ expected: Float, rtol: Float = 1e-5, atol: Float = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose([actual], [expected], rtol: rtol, atol: atol, sourceLocation: sourceLocation)
}
