import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d pretrain`: masked-autoencoder pretraining of the Point-MAE encoder on generated shapes.
struct PretrainCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "pretrain",
        abstract: "Pretrain the Point-MAE encoder by masked autoencoding on procedural shapes.",
        discussion: """
            Each sample is a shape sampled to --shape-points points, centred, scaled per axis by \
            U(2/3, 3/2), divided by its bounding-box diagonal and rotated at random (the frame the \
            detector puts scans in); FPS picks --groups patch centres among the --crop-points \
            points nearest a random seed point, and each patch takes its --group-size nearest \
            points of the whole shape (no patch is cut open at the crop's rim). 60% of the patches are \
            masked; the encoder sees the rest and a light decoder predicts the masked patches' \
            points (Chamfer-L2 loss). AdamW with linear warm-up and cosine decay.

            Shapes come from the procedural part generator (boxes, cylinders, cones, spheres, tori, \
            capsules, extruded and revolved random profiles, combined by unions and differences into \
            holes, bosses, ribs and pockets; some built on the built-in parts), mixed with the meshes and point clouds \
            of --shapes FOLDER when given. The output is an encoder checkpoint for \
            `ad3d train --encoder FILE`. --checkpoint-every writes a full state file (model, \
            optimiser, step) that --resume continues exactly; --log writes the loss curve as CSV.
            """
    )

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Encoder checkpoint to write (safetensors).", valueName: "file"))
    var output: String

    @Option(help: "Encoder size: tiny (128×4), small (192×6) or official (384×12).")
    var encoderSize: EncoderSize = .small

    @Option(help: "Optimiser steps.")
    var steps = 1000

    @Option(help: "Samples per step.")
    var batchSize = 16

    @Option(help: "Peak learning rate.")
    var learningRate: Float = 1e-3

    @Option(help: "Warm-up steps (default: 5% of --steps).")
    var warmup: Int?

    @Option(help: "AdamW weight decay (matrices only).")
    var weightDecay: Float = 0.05

    @Option(help: "Decoder blocks.")
    var decoderDepth = 2

    @Option(help: "Points sampled on each whole shape.")
    var shapePoints = 8192

    @Option(help: "Points of the local crop.")
    var cropPoints = 1024

    @Option(help: "Patches per crop.")
    var groups = 64

    @Option(help: "Points per patch.")
    var groupSize = 32

    @Flag(help: "Run the patch encoder on masked patches too (Point-MAE's way; 2.5× slower patch encoding).")
    var encodeMaskedPatches = false

    @Option(help: """
        Weight of the sampling-consistency loss (0: off). Each shape is then sampled twice and the \
        patch encoder's tokens of the same patches in both samplings are pulled into correlation \
        (Barlow Twins' cross-correlation loss), so tokens describe the surface, not the sampling.
        """)
    var consistencyWeight: Float = 0

    @Option(help: ArgumentHelp("Folder of meshes or point clouds mixed with the procedural parts.", valueName: "folder"))
    var shapes: String?

    @Option(help: "Share of samples taken from --shapes.")
    var shapesWeight = 0.5

    @Option(help: "Held-out validation shapes (fixed masks), evaluated at step 0, every checkpoint and the end.")
    var validation = 32

    @Option(help: ArgumentHelp("Steps between state checkpoints (0: only at the end).", valueName: "steps"))
    var checkpointEvery = 0

    @Option(help: ArgumentHelp("State file for checkpoints (default: OUTPUT.state).", valueName: "file"))
    var state: String?

    @Option(help: ArgumentHelp("Continue the run saved in this state file (same flags required).", valueName: "file"))
    var resume: String?

    @Option(help: ArgumentHelp("Write the loss curve here as CSV (step, lr, train_loss, validation_loss).", valueName: "file"))
    var log: String?

    @Option(help: "Steps between log rows.")
    var logEvery = 10

    @Flag(help: "Store the encoder in float16 (half the size).")
    var half = false

    @OptionGroup var runtime: RuntimeOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        do {
            try pretrainingConfiguration().validate()
        } catch {
            throw ValidationError(error.localizedDescription)
        }
        guard logEvery >= 1, checkpointEvery >= 0 else { throw ValidationError("--log-every must be ≥ 1 and --checkpoint-every ≥ 0.") }
        guard shapesWeight > 0, shapesWeight < 1 else { throw ValidationError("--shapes-weight must lie strictly between 0 and 1.") }
    }

    func execute() throws {
        do {
            try pretrain()
        } catch {
            printError(error)
            throw ExitCode.failure
        }
    }

    private func pretrain() throws {
        let configuration = pretrainingConfiguration()
        var source: any PretrainingShapeSource = ShapeGenerator()
        if let shapes {
            let folder = try ShapeFolder(directory: URL(fileURLWithPath: shapes, isDirectory: true))
            source = try ShapeMixture([(folder, shapesWeight), (source, 1 - shapesWeight)])
        }
        let workers = runtime.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let start = Date()
        var trainer = try resume.map {
            try Pretrainer(resumingFrom: URL(fileURLWithPath: $0), configuration: configuration, source: source, workers: workers)
        } ?? Pretrainer(configuration: configuration, source: source, workers: workers)
        let startStep = trainer.step
        let schedule = PretrainingSchedule(
            logEvery: logEvery, checkpointEvery: checkpointEvery,
            stateURL: URL(fileURLWithPath: state ?? output + ".state"), logURL: log.map { URL(fileURLWithPath: $0) })
        let progress = ProgressBar("pretrain steps", total: configuration.steps - startStep, enabled: logging.showsProgress)
        try trainer.run(schedule: schedule) { report in
            progress.advance(note: String(format: "loss %.4f  lr %.2e", report.loss, report.learningRate))
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        try trainer.trainedEncoder().save(
            to: URL(fileURLWithPath: output), storage: half ? .float16 : .float32,
            source: "ad3d pretrain (\(configuration.steps) steps, seed \(configuration.seed))")
        let summary = PretrainSummary(
            output: output, steps: configuration.steps, stepsThisRun: configuration.steps - startStep, seconds: seconds,
            millisecondsPerStep: 1000 * seconds / Double(max(configuration.steps - startStep, 1)),
            firstValidationLoss: trainer.log.first { $0.validationLoss != nil }?.validationLoss,
            finalValidationLoss: trainer.log.last { $0.validationLoss != nil }?.validationLoss,
            finalTrainLoss: trainer.log.last { $0.trainLoss != nil }?.trainLoss,
            validationBaseline: trainer.validationBaseline())
        if outputOptions.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(summary.text)
        }
    }

    /// The run's settings from the flags.
    private func pretrainingConfiguration() -> PretrainingConfiguration {
        var configuration = PretrainingConfiguration(encoder: encoderSize.configuration)
        configuration.decoderDepth = decoderDepth
        configuration.pointCount = shapePoints
        configuration.cropPointCount = cropPoints
        configuration.groupCount = groups
        configuration.groupSize = groupSize
        configuration.batchSize = batchSize
        configuration.steps = steps
        configuration.warmupSteps = warmup ?? steps / 20
        configuration.learningRate = learningRate
        configuration.minimumLearningRate = min(1e-6, learningRate)
        configuration.weightDecay = weightDecay
        configuration.encodingMaskedPatches = encodeMaskedPatches
        configuration.consistencyWeight = consistencyWeight
        configuration.validationCount = validation
        configuration.seed = runtime.seed
        return configuration
    }
}

/// What `pretrain` prints at the end.
private struct PretrainSummary: Encodable {
    let output: String
    let steps: Int
    let stepsThisRun: Int
    let seconds: Double
    let millisecondsPerStep: Double
    let firstValidationLoss: Double?
    let finalValidationLoss: Double?
    let finalTrainLoss: Double?
    /// The validation loss of predicting every masked point at its group centre.
    let validationBaseline: Double?

    var text: String {
        func value(_ x: Double?) -> String { x.map { String(format: "%.5f", $0) } ?? "-" }
        return """
            wrote \(output)
            steps \(steps) (\(stepsThisRun) this run) in \(String(format: "%.1f", seconds)) s, \(String(format: "%.0f", millisecondsPerStep)) ms/step
            train loss (last interval) \(value(finalTrainLoss)); validation loss \(value(firstValidationLoss)) → \(value(finalValidationLoss)) (all points at the centre: \(value(validationBaseline)))
            """
    }
}
