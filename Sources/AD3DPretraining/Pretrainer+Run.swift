import Foundation

/// Where and how often a run writes its outputs.
public struct PretrainingSchedule: Sendable {
    /// Steps between log rows.
    public var logEvery: Int
    /// Steps between state checkpoints and validation (0: only at the end).
    public var checkpointEvery: Int
    /// The state file written at every checkpoint (nil: none).
    public var stateURL: URL?
    /// The CSV loss log rewritten at every row (nil: none).
    public var logURL: URL?

    /// A schedule from its parts.
    public init(logEvery: Int, checkpointEvery: Int, stateURL: URL?, logURL: URL?) {
        self.logEvery = max(1, logEvery)
        self.checkpointEvery = max(0, checkpointEvery)
        self.stateURL = stateURL
        self.logURL = logURL
    }
}

extension Pretrainer {
    /// Trains from the current step to the last: a log row every `logEvery` steps, validation and
    /// a state file every `checkpointEvery` steps, validation at step 0 (fresh runs) and at the end.
    /// `progress` is called after every step; an error it throws stops the run there.
    public mutating func run(schedule: PretrainingSchedule, progress: (PretrainingProgress) throws -> Void = { _ in }) throws {
        if step == 0 && log.isEmpty {
            recordLogRow(validating: true)
            try writeLog(schedule)
        }
        while step < configuration.steps {
            try progress(try trainStep())
            let checkpoint = schedule.checkpointEvery > 0 && step % schedule.checkpointEvery == 0
            let last = step == configuration.steps
            guard checkpoint || last || step % schedule.logEvery == 0 else { continue }
            recordLogRow(validating: checkpoint || last)
            try writeLog(schedule)
            if checkpoint || last, let url = schedule.stateURL { try saveState(to: url) }
        }
    }

    private func writeLog(_ schedule: PretrainingSchedule) throws {
        if let url = schedule.logURL { try PretrainingLog.write(log, to: url) }
    }
}
