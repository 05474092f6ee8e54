import AD3DSupport
import Foundation

/// One line of the pretraining log.
public struct PretrainingLogRow: Sendable, Equatable, Codable {
    /// Steps completed.
    public var step: Int
    /// Learning rate of the last step (0 before the first).
    public var learningRate: Float
    /// Mean training loss over the steps since the previous row (nil at step 0).
    public var trainLoss: Double?
    /// Loss on the held-out validation set (nil when not evaluated at this row).
    public var validationLoss: Double?

    /// A row from its values.
    public init(step: Int, learningRate: Float, trainLoss: Double?, validationLoss: Double?) {
        self.step = step
        self.learningRate = learningRate
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
    }
}

/// The loss curve of a run as CSV: `step,lr,train_loss,validation_loss`, empty cells where a value
/// was not measured.
public enum PretrainingLog {
    /// The CSV header line.
    public static let header = "step,lr,train_loss,validation_loss"

    /// The whole CSV text for `rows`.
    public static func csv(_ rows: [PretrainingLogRow]) -> String {
        func cell(_ value: Double?) -> String { value.map { String(format: "%.6f", $0) } ?? "" }
        let lines = rows.map { row in
            "\(row.step),\(String(format: "%.3e", Double(row.learningRate))),\(cell(row.trainLoss)),\(cell(row.validationLoss))"
        }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// Writes the CSV for `rows` to `url` atomically.
    public static func write(_ rows: [PretrainingLogRow], to url: URL) throws {
        try AtomicFileWriter.write(Data(csv(rows).utf8), to: url)
    }
}
