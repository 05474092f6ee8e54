import Foundation

/// One-line descriptions of JSON decoding failures, for messages about a model's configuration.
package enum ConfigurationDecoding {
    /// Where decoding failed (the dotted key path) and why; other errors by their own description.
    package static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context):
            return describe(context)
        case DecodingError.keyNotFound(let key, let context):
            return "missing '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in '\(path(context))'")
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return describe(context)
        default:
            return error.localizedDescription
        }
    }

    private static func describe(_ context: DecodingError.Context) -> String {
        let where_ = path(context)
        let reason = context.debugDescription
        return where_.isEmpty ? reason : "'\(where_)': \(reason)"
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
