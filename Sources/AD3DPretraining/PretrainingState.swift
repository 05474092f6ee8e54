import AD3DNN
import AD3DTensor
import Foundation

/// Resumable pretraining state: one safetensors file with the model (`model.*`), the BatchNorm
/// running estimates (`buffer.*`), AdamW's moments (`adam.m.*`, `adam.v.*`) and, as metadata, the
/// configuration, the step, the log so far and the partial training-loss sum of the current log
/// interval — everything a resumed run needs to continue exactly as an uninterrupted one.
extension Pretrainer {
    /// The `format` metadata value of a state file.
    public static let stateFormat = "ad3d-pretraining-state-v1"

    /// Writes the state to `url` atomically (float32, lossless).
    public func saveState(to url: URL) throws {
        var tensors: [String: Tensor] = [:]
        var copy = model
        copy.visitParameters(prefix: "model") { name, tensor in tensors[name] = tensor }
        copy.visitBuffers(prefix: "buffer") { name, tensor in tensors[name] = tensor }
        for (name, tensor) in optimizer.moments.first { tensors["adam.m." + name] = tensor }
        for (name, tensor) in optimizer.moments.second { tensors["adam.v." + name] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let metadata = [
            "format": Self.stateFormat,
            "configuration": String(decoding: try encoder.encode(configuration), as: UTF8.self),
            "step": "\(step)", "adam_steps": "\(optimizer.stepCount)",
            "interval_sum_bits": "\(interval.sum.bitPattern)", "interval_count": "\(interval.count)",
            "log": String(decoding: try encoder.encode(log), as: UTF8.self),
        ]
        try SafeTensors.write(tensors, metadata: metadata, to: url)
    }

    /// Continues the run saved at `url`, which must have been written with `configuration`.
    public init(resumingFrom url: URL, configuration: PretrainingConfiguration, source: any PretrainingShapeSource, workers: Int) throws {
        let file = try SafeTensors.read(url)
        func fail(_ problem: String) -> PretrainingError { .invalidState(path: url.path, problem: problem) }
        guard file.metadata["format"] == Self.stateFormat else { throw fail("metadata 'format' is not '\(Self.stateFormat)'") }
        guard let json = file.metadata["configuration"],
              let stored = try? JSONDecoder().decode(PretrainingConfiguration.self, from: Data(json.utf8))
        else { throw fail("the configuration is missing or unreadable") }
        guard stored == configuration else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let requested = (try? encoder.encode(configuration)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            throw PretrainingError.stateMismatch(path: url.path, stored: json, requested: requested)
        }
        guard let step = file.metadata["step"].flatMap(Int.init), (0...configuration.steps).contains(step),
              let adamSteps = file.metadata["adam_steps"].flatMap(Int.init), adamSteps >= 0,
              let sumBits = file.metadata["interval_sum_bits"].flatMap(UInt64.init),
              let count = file.metadata["interval_count"].flatMap(Int.init), count >= 0,
              let logJSON = file.metadata["log"],
              let log = try? JSONDecoder().decode([PretrainingLogRow].self, from: Data(logJSON.utf8))
        else { throw fail("the step, optimiser or log metadata is missing or malformed") }
        try self.init(configuration: configuration, source: source, workers: workers)
        func part(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: file.tensors.compactMap { name, tensor in
                name.hasPrefix(prefix) ? (String(name.dropFirst(prefix.count)), tensor) : nil
            })
        }
        do {
            try model.loadParameters(part("model."))
        } catch {
            throw fail(error.localizedDescription)
        }
        let buffers = part("buffer.")
        try model.visitBuffers(prefix: "") { name, tensor in
            guard let value = buffers[name], value.shape == tensor.shape else { throw fail("running statistic \(name) is missing or mis-shaped") }
            tensor = value
        }
        let (first, second) = (part("adam.m."), part("adam.v."))
        let parameters = model.namedParameters()
        guard Set(first.keys) == Set(second.keys), first.allSatisfy({ parameters[$0.key]?.shape == $0.value.shape }),
              second.allSatisfy({ parameters[$0.key]?.shape == $0.value.shape })
        else { throw fail("the AdamW moments do not match the model") }
        optimizer.restore(first: first, second: second, stepCount: adamSteps)
        self.step = step
        self.log = log
        interval = (Double(bitPattern: sumBits), count)
    }
}
