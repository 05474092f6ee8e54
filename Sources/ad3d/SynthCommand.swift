import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d synth`: a Real3D-AD-style benchmark carved from meshes or built-in parts.
struct SynthCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthesize a Real3D-AD-style benchmark by carving defects into meshes.",
        discussion: """
            Writes one category per input under ROOT: an OFF, OBJ or STL mesh (the category is \
            named after the file), or a built-in part: \(ProceduralPart.allCases.map(\.rawValue).joined(separator: ", ")). \
            Without inputs every built-in part is used. PLY files are read as point clouds by ad3d \
            and cannot be used; convert them to a mesh format.

              ROOT/CATEGORY/train/I_template.pcd   good scans
              ROOT/CATEGORY/test/I_good.pcd        good test scans
              ROOT/CATEGORY/test/I_DEFECT.pcd      defective test scans
              ROOT/CATEGORY/gt/I_DEFECT.txt        "x y z label" per point, scan order
              ROOT/CATEGORY/manifest.json          every scan's pose, defect and fraction

            Defects: bulge and sink (smooth bump along the normal), hole (region removed, its rim \
            labelled), crack (thin groove along a curve), cut (flattened chip), bend (part of the \
            object rotated a few degrees). A point is anomalous when the defect moved it more than \
            --label-threshold × the part's diagonal. Each defect is redrawn until its anomalous \
            fraction lies in --defect-size. Scans are area-weighted surface samples with Gaussian \
            noise, a random point order, optionally a smooth deformation of each instance \
            (--variation), a pose (--pose) and optionally a single view (--partial-view). The same \
            --seed gives the same files byte for byte.

            A single view is what a sensor standing 1.5–3 part diagonals from the part sees: \
            points facing away from it, seen at a grazing angle (normal more than about 84° from \
            the line of sight) or hidden behind another part of the surface (a ray cast to the \
            sensor hits the mesh) are removed. Defects are placed on the seen surface. \
            --partial-view none: every scan complete. test: test scans seen from random \
            directions all around the part, training scans complete (as in Real3D-AD). all: every \
            scan seen from its own random direction. fixture: one direction per category and \
            every scan, training scans included, seen from it turned by up to 10° (parts seated in \
            a fixture under a fixed scanner). Each single view's sensor position is recorded in \
            the manifest.
            """
    )

    @Argument(help: ArgumentHelp("Mesh files (OFF, OBJ, STL) or built-in part names.", valueName: "mesh-or-part"))
    var inputs: [String] = []

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Dataset root to write.", valueName: "root"))
    var output: String

    @Option(help: "Good training scans per category.")
    var train = 4

    @Option(help: "Good test scans per category.")
    var good = 6

    @Option(help: "Defective test scans per defect type.")
    var perDefect = 2

    @Option(help: ArgumentHelp("Points per scan before holes and views: N or MIN-MAX.", valueName: "range"))
    var points = "10000-30000"

    @Option(help: "Scanner noise: standard deviation relative to the part's diagonal.")
    var noise: Float = 0.0005

    @Option(help: """
        Shape variation between good instances: typical displacement of a smooth random \
        deformation per scan, relative to the part's diagonal (0: identical parts; 0.02: \
        visibly different instances, as natural products).
        """)
    var variation: Float = 0

    @Option(help: "Pose of each scan: aligned, jitter (≤ 3°, ~1% shift) or random.")
    var pose: PoseMode = .aligned

    @Option(help: """
        Single-view scans: none, test (test scans from random directions, training scans \
        complete), all (every scan from its own random direction) or fixture (every scan from \
        one direction per category, within 10°).
        """)
    var partialView: PartialViewMode = .none

    @Option(help: ArgumentHelp("Comma-separated defect types to make.", valueName: "kinds"))
    var defects = DefectKind.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: ArgumentHelp("Anomalous fraction of a defective scan: MIN-MAX (0.005-0.1 or 0.5%-10%).", valueName: "range"))
    var defectSize = "0.005-0.1"

    @Option(help: "Displacement labelled anomalous, relative to the part's diagonal.")
    var labelThreshold: Float = 0.005

    @Option(help: "PCD data encoding: binary or ascii.")
    var encoding: PCDDataEncoding = .binary

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 0

    @Flag(help: "Replace category folders that already exist.")
    var overwrite = false

    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try settings()
    }

    func execute() throws {
        let settings = try settings()
        let sources = inputs.isEmpty
            ? ProceduralPart.allCases.map { SynthesisSource.part($0) }
            : try inputs.map { try SynthesisSource(argument: $0) }
        let perCategory = settings.trainCount + settings.goodCount + settings.defectsPerKind * settings.defectKinds.count
        let progress = ProgressBar("synth scans", total: perCategory * sources.count, enabled: logging.showsProgress)
        let manifests = try BenchmarkSynthesizer.run(
            sources: sources, root: URL(fileURLWithPath: output, isDirectory: true), settings: settings,
            overwrite: overwrite, progress: { progress.advance() })
        progress.finish()
        let report = SynthesisReport(root: output, manifests: manifests)
        if outputOptions.json {
            print(String(decoding: try SynthesisJSON.encode(report, pretty: true), as: UTF8.self))
        } else {
            print(report.table())
        }
    }

    /// The validated settings from the flags.
    private func settings() throws -> SynthesisSettings {
        var settings = SynthesisSettings()
        settings.trainCount = train
        settings.goodCount = good
        settings.defectsPerKind = perDefect
        let pointRange = try RangeArgument.parse(points, name: "--points")
        guard pointRange.lowerBound.rounded() == pointRange.lowerBound, pointRange.upperBound.rounded() == pointRange.upperBound,
              pointRange.upperBound <= 1e7
        else { throw ValidationError("--points: expected whole numbers, got '\(points)'.") }
        settings.points = Int(pointRange.lowerBound)...Int(pointRange.upperBound)
        settings.noise = noise
        settings.variation = variation
        settings.pose = pose
        settings.partialView = partialView
        settings.defectKinds = try defects.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let kind = DefectKind(rawValue: trimmed) else {
                let known = DefectKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw ValidationError("--defects: unknown defect type '\(trimmed)' (known: \(known)).")
            }
            return kind
        }
        settings.defectSize = try RangeArgument.parse(defectSize, name: "--defect-size")
        settings.labelThreshold = labelThreshold
        settings.encoding = encoding
        settings.seed = seed
        do {
            try settings.validate()
        } catch {
            throw ValidationError(error.localizedDescription)
        }
        return settings
    }
}

extension PoseMode: ExpressibleByArgument {}
extension PartialViewMode: ExpressibleByArgument {}
extension PCDDataEncoding: ExpressibleByArgument {}

/// What `synth` prints: per category, the scans written and the anomalous fractions per defect type.
private struct SynthesisReport: Encodable {
    let root: String
    let categories: [CategoryReport]

    struct CategoryReport: Encodable {
        let name: String
        let source: String
        let trainScans: Int
        let goodTestScans: Int
        let defects: [DefectSummary]
    }

    init(root: String, manifests: [CategoryManifest]) {
        self.root = root
        categories = manifests.map { manifest in
            CategoryReport(
                name: manifest.category, source: manifest.source,
                trainScans: manifest.samples.filter { $0.split == "train" }.count,
                goodTestScans: manifest.samples.filter { $0.split == "test" && $0.kind == "good" }.count,
                defects: manifest.summary)
        }
    }

    func table() -> String {
        var rows = [["category", "defect", "scans", "mean %", "min %", "max %"]]
        for category in categories {
            rows.append([category.name, "good", "\(category.trainScans)+\(category.goodTestScans)", "", "", ""])
            for defect in category.defects {
                rows.append([
                    "", defect.kind.rawValue, "\(defect.samples)", percent(defect.meanFraction),
                    percent(defect.minFraction), percent(defect.maxFraction),
                ])
            }
        }
        return "wrote \(root)  (good: train+test scans)\n\n" + TextFormatting.table(rows)
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f", 100 * value) }
}
