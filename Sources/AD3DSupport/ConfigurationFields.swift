import Foundation

/// Range checks for the fields of a decoded configuration (a model file's JSON), so that a corrupt
/// or hand-edited value is refused on load with the field's dotted name instead of giving wrong
/// scores later.
package struct ConfigurationFields {
    /// The dotted name of the enclosing value ("" at the top level).
    let prefix: String

    /// Checks at the top level, or inside the value named `prefix`.
    package init(_ prefix: String = "") { self.prefix = prefix }

    /// Checks inside field `name`.
    package func nested(_ name: String) -> ConfigurationFields { ConfigurationFields(qualified(name)) }

    /// Throws unless `value` is finite and in `range`.
    package func real(_ value: Float, _ name: String, in range: ClosedRange<Float>) throws(ConfigurationFieldError) {
        guard value.isFinite, range.contains(value) else {
            throw ConfigurationFieldError(field: qualified(name), value: "\(value)", requirement: "in [\(range.lowerBound), \(range.upperBound)]")
        }
    }

    /// Throws unless `value` is finite, above 0 (and not below the smallest normal float) and at most `upper`.
    package func positive(_ value: Float, _ name: String, atMost upper: Float) throws(ConfigurationFieldError) {
        guard value.isFinite, value >= Float.leastNormalMagnitude, value <= upper else {
            throw ConfigurationFieldError(field: qualified(name), value: "\(value)", requirement: "positive and at most \(upper)")
        }
    }

    /// Throws unless `value` is in `range`.
    package func count(_ value: Int, _ name: String, in range: ClosedRange<Int>) throws(ConfigurationFieldError) {
        guard range.contains(value) else {
            throw ConfigurationFieldError(field: qualified(name), value: "\(value)", requirement: "in \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// Throws `problem` for field `name` unless `condition` holds (for checks that span fields).
    package func require(_ condition: Bool, _ name: String, value: String, _ requirement: String) throws(ConfigurationFieldError) {
        guard condition else { throw ConfigurationFieldError(field: qualified(name), value: value, requirement: requirement) }
    }

    private func qualified(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
}

/// A configuration field with a value its model cannot be scored with.
public struct ConfigurationFieldError: Error, LocalizedError, Equatable, CustomStringConvertible {
    /// The field's dotted name, e.g. `frame.scale`.
    public var field: String
    /// The value found.
    public var value: String
    /// What the value must be.
    public var requirement: String

    /// The problem of field `field`, whose `value` is not `requirement`.
    public init(field: String, value: String, requirement: String) {
        self.field = field
        self.value = value
        self.requirement = requirement
    }

    /// "field 'frame.scale' is -1; it must be positive and at most 1e13".
    public var description: String { "field '\(field)' is \(value); it must be \(requirement)" }

    /// The same text as `description`.
    public var errorDescription: String? { description }
}
