import AD3DPointCloud
import AD3DSupport
import Foundation

/// One scan to make: its file name, split and kind.
public struct PlannedScan: Sendable, Equatable {
    /// File name without extension.
    public var name: String
    /// Whether it goes to `train/` (else `test/`).
    public var isTraining: Bool
    /// The defect, or nil for a good scan.
    public var defect: DefectKind?
}

/// A synthesized scan: the points as written (labels set for defective scans) and its record.
public struct SynthesizedScan: Sendable, Equatable {
    /// The scan; `labels` is set for defective scans (one per point, same order).
    public var cloud: PointCloud
    /// What was made.
    public var record: SampleRecord
}

/// Synthesizes the scans of one category from its part. Every scan has its own random stream
/// derived from the seed, the category name and the scan's index, so scans are reproducible
/// one by one and do not depend on the other categories.
public struct CategorySynthesizer: Sendable {
    /// The category folder name.
    public let name: String
    /// The part's source.
    public let source: SynthesisSource
    /// Sampler of the part's surface.
    public let sampler: SurfaceSampler
    /// The settings.
    public let settings: SynthesisSettings
    /// The sensor of every scan in `fixture` mode before its per-scan jitter (nil in other modes).
    let fixtureSensor: SensorPlacement?
    /// The part's mesh for the occlusion test of single views (nil when no scan is one).
    private let occluders: MeshRayCaster?
    private let categoryGenerator: SeededGenerator

    /// Builds (or reads) the part's mesh; throws on invalid meshes and settings.
    public init(source: SynthesisSource, settings: SynthesisSettings) throws {
        try settings.validate()
        self.source = source
        self.settings = settings
        name = source.categoryName
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        categoryGenerator = SeededGenerator(seed: settings.seed ^ hash)
        var shapeGenerator = categoryGenerator.split(stream: .max)
        sampler = try SurfaceSampler(mesh: try source.mesh(using: &shapeGenerator))
        occluders = settings.partialView == .none ? nil : MeshRayCaster(mesh: sampler.mesh)
        var fixtureGenerator = categoryGenerator.split(stream: .max - 1)
        fixtureSensor = settings.partialView == .fixture
            ? SensorPlacement.random(diagonal: sampler.diagonal, using: &fixtureGenerator) : nil
    }

    /// The scans of the category: training templates, then good test scans, then the defective
    /// ones cycling through the defect types. Test scans are numbered in this order.
    public var plan: [PlannedScan] {
        var scans = (0..<settings.trainCount).map { PlannedScan(name: "\($0)_template", isTraining: true, defect: nil) }
        var tests: [DefectKind?] = Array(repeating: nil, count: settings.goodCount)
        for _ in 0..<settings.defectsPerKind { tests += settings.defectKinds.map { $0 } }
        for (index, defect) in tests.enumerated() {
            scans.append(PlannedScan(name: "\(index)_\(defect?.rawValue ?? "good")", isTraining: false, defect: defect))
        }
        return scans
    }

    /// Makes scan `index` of `plan`.
    public func scan(_ index: Int) throws(SynthesisError) -> SynthesizedScan {
        let plan = self.plan
        precondition(plan.indices.contains(index), "scan index \(index) outside the plan of \(plan.count) scans")
        let planned = plan[index]
        var stream = categoryGenerator.split(stream: UInt64(index))
        let seed = stream.next()
        var generator = SeededGenerator(seed: seed)
        let threshold = settings.labelThreshold * sampler.diagonal
        let attemptLimit = planned.defect == nil ? 1 : 30
        var closest = Double.nan
        for attempt in 1...attemptLimit {
            let count = generator.integer(in: settings.points)
            let surface = sampler.sample(count: count, using: &generator)
            var clean = surface
            if settings.variation > 0 {
                clean = InstanceVariation(
                    amplitude: settings.variation, center: sampler.center, diagonal: sampler.diagonal, using: &generator
                ).apply(to: surface)
            }
            let sensor = sensorPlacement(training: planned.isTraining, using: &generator)
            let sensorPosition = sensor?.position(around: sampler.center)
            // Which points are kept is decided on the part's own surface, against its mesh: before
            // the instance variation (small and smooth) and before the defect. A defect changes
            // the geometry after this test, so a bulge may keep a point it would really hide (or
            // a hole expose one); we accept that, as labels and fractions count the kept points.
            let visible = sensorPosition.flatMap { position in
                occluders.map { ScanSimulator.visibility(of: surface, from: position, occluders: $0) }
            }
            var positions = clean.positions, kept = visible ?? [Bool](repeating: true, count: count)
            var labels: [UInt8]?
            var parameters: DefectParameters?
            if let kind = planned.defect {
                let target = logUniform(settings.defectSize, using: &generator)
                guard let defected = DefectSynthesizer.apply(
                    kind, to: clean, counted: visible, targetFraction: target, threshold: threshold,
                    area: sampler.area, using: &generator)
                else { continue }
                positions = defected.positions
                kept = zip(kept, defected.kept).map { $0 && $1 }
                labels = defected.labels
                parameters = defected.parameters
            }
            let keptIndices = kept.indices.filter { kept[$0] }
            let keptLabels = labels.map { l in keptIndices.map { l[$0] } }
            let anomalous = keptLabels?.reduce(0) { $0 + Int($1) } ?? 0
            let fraction = keptIndices.isEmpty ? 0 : Double(anomalous) / Double(keptIndices.count)
            if planned.defect != nil {
                if closest.isNaN || distance(fraction, settings.defectSize) < distance(closest, settings.defectSize) {
                    closest = fraction
                }
                guard settings.defectSize.contains(fraction) else { continue }
            }
            guard !keptIndices.isEmpty else { continue }
            let pose = ScanSimulator.pose(settings.pose, center: sampler.center, diagonal: sampler.diagonal, using: &generator)
            let cloud = ScanSimulator.finish(
                keptIndices.map { positions[$0] }, labels: keptLabels, pose: pose,
                sigma: settings.noise * sampler.diagonal, using: &generator)
            let record = SampleRecord(
                name: planned.name, split: planned.isTraining ? "train" : "test",
                kind: planned.defect?.rawValue ?? "good", points: cloud.count, anomalousPoints: anomalous,
                anomalousFraction: fraction, seed: seed, rotation: pose.rotation, translation: pose.translation,
                sensorDirection: sensor?.direction, sensorPosition: sensorPosition, defect: parameters, attempts: planned.defect == nil ? nil : attempt)
            return SynthesizedScan(cloud: cloud, record: record)
        }
        throw SynthesisError.defectSizeUnreachable(
            category: name, defect: planned.defect?.rawValue ?? "good", range: settings.defectSize,
            attempts: attemptLimit, closest: closest.isNaN ? 0 : closest)
    }

    /// Writes every scan, its ground truth and `manifest.json` into `root/<name>/`, calling
    /// `progress` after each scan. Returns the manifest.
    public func write(to root: URL, progress: () -> Void = {}) throws -> CategoryManifest {
        let folder = root.appendingPathComponent(name, isDirectory: true)
        var records = [SampleRecord]()
        for (index, planned) in plan.enumerated() {
            let made = try scan(index)
            let split = folder.appendingPathComponent(planned.isTraining ? "train" : "test", isDirectory: true)
            try PointCloudWriter.write(
                made.cloud, to: split.appendingPathComponent(planned.name + ".pcd"), format: settings.encoding.writeFormat)
            if planned.defect != nil {
                try PointCloudWriter.write(
                    made.cloud, to: folder.appendingPathComponent("gt/\(planned.name).txt"), format: .txt)
            }
            records.append(made.record)
            progress()
        }
        let manifest = CategoryManifest(
            category: name, source: source.description, seed: categorySeed,
            diagonal: sampler.diagonal, area: sampler.area, labelThreshold: settings.labelThreshold * sampler.diagonal,
            noiseSigma: settings.noise * sampler.diagonal, settings: settings, samples: records)
        try AtomicFileWriter.write(
            SynthesisJSON.encode(manifest, pretty: true) + Data("\n".utf8), to: folder.appendingPathComponent("manifest.json"))
        return manifest
    }

    /// The sensor of a scan of the given split under `settings.partialView`, or nil for a
    /// complete scan.
    private func sensorPlacement(training: Bool, using generator: inout SeededGenerator) -> SensorPlacement? {
        guard settings.partialView.isSingleView(training: training) else { return nil }
        if let fixtureSensor { return fixtureSensor.jittered(using: &generator) }
        return SensorPlacement.random(diagonal: sampler.diagonal, using: &generator)
    }

    /// The category's seed as recorded in the manifest.
    private var categorySeed: UInt64 {
        var copy = categoryGenerator
        return copy.next()
    }

    /// A fraction drawn log-uniformly from `range` (small defects as likely per octave as large).
    private func logUniform(_ range: ClosedRange<Double>, using generator: inout SeededGenerator) -> Double {
        let u = Double(generator.next() >> 11) * 0x1p-53
        return exp(log(range.lowerBound) + u * (log(range.upperBound) - log(range.lowerBound)))
    }

    /// How far `value` lies outside `range` (0 inside).
    private func distance(_ value: Double, _ range: ClosedRange<Double>) -> Double {
        max(range.lowerBound - value, value - range.upperBound, 0)
    }
}
