import ArgumentParser
import Foundation

/// Parses `N`, `MIN-MAX` or `MIN:MAX`, each value optionally a percentage (`0.5%`).
enum RangeArgument {
    /// The range, or a `ValidationError` naming the option.
    static func parse(_ text: String, name: String) throws -> ClosedRange<Double> {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        // The separator is a ':' or a '-' that is neither a leading sign nor an exponent's sign.
        let separator = characters.indices.first { i in
            characters[i] == ":"
                || (characters[i] == "-" && i > 0 && !"eE".contains(characters[i - 1]))
        }
        let parts = separator.map { [String(characters[..<$0]), String(characters[($0 + 1)...])] } ?? [String(characters)]
        let values = parts.map(value)
        guard values.allSatisfy({ $0 != nil }), let low = values.first!, let high = values.last!, low <= high else {
            throw ValidationError("\(name): expected N or MIN-MAX with MIN ≤ MAX, got '\(text)'.")
        }
        return low...high
    }

    private static func value(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") { return Double(trimmed.dropLast()).map { $0 / 100 }?.finiteOrNil }
        return Double(trimmed)?.finiteOrNil
    }
}

extension Double {
    /// The value, or nil when it is NaN or infinite.
    fileprivate var finiteOrNil: Double? { isFinite ? self : nil }
}
