import AD3DModels
import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// The main detector, named SCA after the method it implements (spatial context aggregation: the
/// head's optimal-transport context module; the default read-out scores patches by the patch
/// memory and the surface terms and does not run that module, see `SCAReadout`): optionally a
/// registration onto a reference training scan, a
/// frozen Point-MAE encoder, then the trained head — feature
/// adaptor, optimal-transport spatial context aggregation and attention discriminator — scoring
/// every patch in one forward pass, optionally joined by the distance to a memory of clean
/// patches (`SCAReadout`); patch scores are spread to the points, where each point's deviation
/// from the clean training surface (`SurfaceTemplate`) may join them.
public struct SCADetector: AnomalyDetector {
    public static let methodName = "sca"
    /// Prefix of the head's tensors in a checkpoint (the encoder's already start with `encoder.`).
    static let headPrefix = "head."

    /// The full configuration, including normalisation scale and score statistics.
    public let configuration: SCAConfiguration
    /// The frozen encoder (nil for read-out `.none`, which never encodes a scan).
    public let encoder: PointMAEEncoder?
    /// The trained head (nil when the read-out does not use the discriminator).
    public let head: DetectorHead?
    /// The memory of clean patch features (nil when the read-out does not use it).
    public let memory: PatchMemory?
    /// The registration onto the reference training scan (nil when `configuration.registration` is `.never`).
    public let registration: RigidRegistration?
    /// Name of the registration's reference points in a checkpoint.
    static let referenceName = "registration.reference"
    /// The clean surface of the training scans (nil when `configuration.surfaceDeviation` is false).
    public let surface: SurfaceTemplate?
    /// Names of the surface template's points and normals in a checkpoint.
    static let surfaceNames = (points: "surface.points", normals: "surface.normals", support: "surface.support", rim: "surface.rim")
    /// What scoring single views needs of the surface template, built on first use (nil without one).
    let views: ViewStructures?
    /// Pose proposals for single views on the surface template (nil without one, or when the
    /// template is too small to describe by features); builds `views` on first use.
    var viewRegistration: ViewRegistration? { views?.registration }
    /// Gap finding in single views (nil without a surface template, or when it cannot be built);
    /// builds `views` on first use.
    var viewGaps: ViewGaps? { views?.gaps }

    /// A detector from its parts; `encoder`, `head` and `memory` must be present exactly when
    /// `configuration.readout` uses them, `registration` exactly when `configuration.registration` needs a reference,
    /// `surface` exactly when `configuration.surfaceDeviation` is set (always, for read-out `.none`).
    public init(
        configuration: SCAConfiguration, encoder: PointMAEEncoder?, head: DetectorHead?, memory: PatchMemory?,
        registration: RigidRegistration? = nil, surface: SurfaceTemplate? = nil
    ) {
        precondition(
            (encoder != nil) == configuration.readout.usesEncoder && (head != nil) == configuration.readout.usesDiscriminator
                && (memory != nil) == configuration.readout.usesMemory,
            "the parts of an SCA detector must match its read-out \(configuration.readout)")
        precondition((registration != nil) == configuration.registration.needsReference, "a reference must come with a registration policy")
        precondition((surface != nil) == configuration.surfaceDeviation, "a surface template must come with surface deviation")
        precondition(configuration.scoresPoints, "read-out none needs surface deviation")
        self.configuration = configuration
        self.encoder = encoder
        self.head = head
        self.memory = memory
        self.registration = registration
        self.surface = surface
        views = surface.map { ViewStructures(template: $0) }
    }

    public func score(_ cloud: PointCloud) throws -> AnomalyScores {
        try score(cloud, timings: nil)
    }

    public var scoresViewsApart: Bool { viewRegistration != nil }

    /// Scores `cloud`, recording with `timings` the stages "normalise", "register" (when the
    /// detector has a reference scan), "patch", "encoder", "head" and "interpolate" (when the
    /// read-out has patch scores) and "surface" (when it has a surface template). A point's surface
    /// deviation, standardised, and its coverage gap score add to its score. With a surface
    /// template the object score is the object rule over the summed point scores, so the patch
    /// memory's and the surface's highest scores add up only where they meet (a fixture's views
    /// of seven parts, seeds 1-3: 0.887 object AUROC when the rule's results over patches and
    /// over surface scores were added, 0.906 now; docs/single-views.md); without one it is the
    /// rule over the patch scores.
    public func score(_ cloud: PointCloud, timings: StageTimings?) throws -> AnomalyScores {
        let framed = timings.measure("normalise") { configuration.frame.normalise(cloud) }
        let isView = try surface != nil && timings.measure("recognise view") { try showsView(framed) }
        let normalised = try registration == nil || isView ? framed
            : timings.measure("register") { try configuration.registration.apply(registration, to: framed) }
        var surfaceScores: [Float]?, scoredAsView = isView
        if let surface {
            (surfaceScores, scoredAsView) = try timings.measure("surface") {
                try isView ? (viewScores(of: normalised, against: surface, timings: timings), true) : self.surfaceScores(of: normalised, against: surface)
            }
        }
        var pointScores = [Float](repeating: 0, count: normalised.count)
        var objectScore: Float = 0
        if let encoder, !scoredAsView {
            let scanEncoder = ScanEncoder(encoder: encoder, frame: configuration.frame, encodedPoints: configuration.encodedPoints)
            let (centers, features, _) = try scanEncoder.encode(normalised: normalised, timings: timings)
            let scores = try timings.measure("head") { try patchScores(features: features, centers: centers) }
            pointScores = try timings.measure("interpolate") {
                try configuration.interpolation.pointScores(
                    for: normalised, centers: PointCloud(coordinates: centers.storage), scores: scores)
            }
            if surfaceScores == nil { objectScore = configuration.objectScore.objectScore(of: scores) }
        }
        if let surfaceScores {
            for i in pointScores.indices { pointScores[i] += surfaceScores[i] }
            objectScore = configuration.objectScore.objectScore(of: pointScores)
        }
        return AnomalyScores(pointScores: pointScores, objectScore: objectScore, scoredAsView: scoredAsView)
    }

    /// Whether `framed` (model frame) shows so much less surface than the training scans
    /// (`ScanArea.viewFraction`) that it must be a single view of the part, and the template can
    /// register views (the first such scan builds `views`).
    func showsView(_ framed: PointCloud) throws -> Bool {
        guard views != nil, configuration.trainingArea > 0 else { return false }
        return try ScanArea.estimate(of: framed) < ScanArea.viewFraction * configuration.trainingArea && viewRegistration != nil
    }

    /// Every point's standardised surface deviation plus, with `coverageGaps` (or, counting only
    /// what the sensor saw, `viewCoverageGaps`), its gap score, and whether the scan was scored as
    /// a single view. A scan that, moved onto the template where it lies, covers most of it is
    /// complete and is scored in that pose; any other scan is scored as a single view
    /// (`viewScores(of:against:)`).
    private func surfaceScores(of normalised: PointCloud, against surface: SurfaceTemplate) throws -> (scores: [Float], isView: Bool) {
        let noiseBand = CoverageGaps.noiseBand(of: configuration.surfaceStatistics)
        let moved = try surface.moved(normalised)
        let coverage = try CoverageGaps.coverage(by: moved, template: surface, noiseBand: noiseBand)
        guard coverage.isView, viewRegistration != nil else {
            var scores = surface.deviations(ofMoved: moved).map(configuration.surfaceStatistics.standardized)
            var gaps: [Float]?
            if configuration.coverageGaps {
                gaps = try coverage.gapScores(of: moved, template: surface)
            } else if configuration.viewCoverageGaps, let viewGaps {
                let sensor = viewGaps.sensor(coverage: coverage, template: surface)
                gaps = try viewGaps.scores(of: moved, coverage: coverage, template: surface, sensor: sensor)
            }
            for i in scores.indices { scores[i] += gaps?[i] ?? 0 }
            return (scores, false)
        }
        return (try viewScores(of: normalised, against: surface, timings: nil), true)
    }

    /// The surface scores of a single view, which alone score it: the patch memory and head learnt
    /// complete scans, and a view's patches along its silhouettes look unlike any of them (on
    /// single-view test scans of the seven built-in parts, 0.855 / 0.882 object / point AUROC with
    /// them, 0.899 / 0.931 without; docs/single-views.md). The view is placed by `ViewPoses`
    /// (candidates from `ViewRegistration`, and where it lies) and each point scores the least
    /// over the equally good poses.
    private func viewScores(of normalised: PointCloud, against surface: SurfaceTemplate, timings: StageTimings?) throws -> [Float] {
        guard let viewRegistration else { preconditionFailure("single views need a view registration") }
        let candidates = try timings.measure("view candidates") { try viewRegistration.candidates(for: normalised) }
        let poses = try timings.measure("view poses") {
            try ViewPoses.fit(normalised, template: surface, candidates: candidates, cleanResidual: configuration.surfaceStatistics.mean)
        }
        let noiseBand = CoverageGaps.noiseBand(of: configuration.surfaceStatistics)
        var scores = [Float](repeating: .infinity, count: normalised.count)
        for pose in poses {
            var poseScores = timings.measure("view deviations") {
                surface.deviations(ofMoved: pose.moved).map(configuration.surfaceStatistics.standardized)
            }
            if configuration.coverageGaps || configuration.viewCoverageGaps, let viewGaps {
                let coverage = try timings.measure("view coverage") {
                    try CoverageGaps.coverage(by: pose.moved, template: surface, noiseBand: noiseBand)
                }
                // The sensor is estimated in every pose: carried from the best pose to the others by
                // their rigid fit it was 2× faster but worse (0.83 against 0.88 object AUROC on the
                // views seed-2 and seed-3 sets).
                let sensor = timings.measure("view sensor") { viewGaps.sensor(coverage: coverage, template: surface) }
                let gaps = try timings.measure("view gaps") {
                    try viewGaps.scores(of: pose.moved, coverage: coverage, template: surface, sensor: sensor)
                }
                for i in poseScores.indices { poseScores[i] += gaps[i] }
            }
            for i in scores.indices { scores[i] = min(scores[i], poseScores[i]) }
        }
        return scores
    }

    /// The standardised patch scores of the read-out for encoder `features` at `centers`.
    func patchScores(features: Tensor, centers: Tensor) throws -> [Float] {
        var scores = [Float](repeating: 0, count: features.shape[0])
        if let head {
            let logits = try head.logits(features: features, centers: centers)
            for i in scores.indices { scores[i] += configuration.statistics.standardized(logits[i]) }
        }
        if let memory {
            let distances = try memory.distances(features, centers: centers)
            for i in scores.indices { scores[i] += configuration.memoryStatistics.standardized(distances[i]) }
        }
        return scores
    }

    public func checkpoint() throws -> ModelCheckpoint {
        var tensors = encoder?.weights() ?? [:]
        for (name, tensor) in head?.parameters() ?? [:] {
            tensors[Self.headPrefix + name] = tensor
        }
        if let memory {
            tensors[PatchMemory.tensorName] = memory.bank.features
            tensors[PatchMemory.scaleName] = memory.channelScale
        }
        if let registration { tensors[Self.referenceName] = registration.reference.tensor }
        if let surface {
            tensors[Self.surfaceNames.points] = surface.points.tensor
            tensors[Self.surfaceNames.normals] = Tensor(shape: [surface.points.count, 3], storage: surface.normals)
            if let support = surface.support { tensors[Self.surfaceNames.support] = Tensor(shape: [support.count], storage: support) }
            if let rim = surface.rim { tensors[Self.surfaceNames.rim] = Tensor(shape: [rim.count], storage: rim.map { $0 ? 1 : 0 }) }
        }
        return ModelCheckpoint(
            method: Self.methodName, configuration: try TextFormatting.json(configuration), tensors: tensors)
    }

    public init(checkpoint: ModelCheckpoint) throws {
        guard checkpoint.method == Self.methodName else {
            throw ModelCheckpointError.wrongMethod(expected: Self.methodName, found: checkpoint.method)
        }
        let configuration: SCAConfiguration
        do {
            configuration = try JSONDecoder().decode(SCAConfiguration.self, from: Data(checkpoint.configuration.utf8))
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: Self.methodName, reason: ConfigurationDecoding.describe(error))
        }
        do {
            try configuration.validate()
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: Self.methodName, reason: error.localizedDescription)
        }
        var encoderTensors = [String: Tensor](), headTensors = [String: Tensor]()
        var memoryFeatures: Tensor?, memoryScale: Tensor?, reference: Tensor?
        var surfacePoints: Tensor?, surfaceNormals: Tensor?, surfaceSupport: Tensor?, surfaceRim: Tensor?
        for (name, tensor) in checkpoint.tensors {
            if name == Self.surfaceNames.points {
                surfacePoints = tensor
            } else if name == Self.surfaceNames.normals {
                surfaceNormals = tensor
            } else if name == Self.surfaceNames.support {
                surfaceSupport = tensor
            } else if name == Self.surfaceNames.rim {
                surfaceRim = tensor
            } else if name == Self.referenceName {
                reference = tensor
            } else if name == PatchMemory.tensorName {
                memoryFeatures = tensor
            } else if name == PatchMemory.scaleName {
                memoryScale = tensor
            } else if name.hasPrefix(Self.headPrefix) {
                headTensors[String(name.dropFirst(Self.headPrefix.count))] = tensor
            } else {
                encoderTensors[name] = tensor
            }
        }
        let readout = configuration.readout, width = configuration.encoder.featureDimensions
        let encoder = try Self.encoder(tensors: encoderTensors, configuration: configuration.encoder, wanted: readout.usesEncoder)
        let positionWeight = configuration.memoryPositionWeight
        let keyWidth = PatchMemory.keyWidth(channels: width, positionWeight: positionWeight)
        var memory: PatchMemory?
        if let memoryFeatures, let memoryScale, memoryFeatures.rank == 2, memoryFeatures.shape[0] >= 1,
           memoryFeatures.shape[1] == keyWidth, memoryScale.shape == [width] {
            memory = PatchMemory(keys: memoryFeatures, channelScale: memoryScale, positionWeight: positionWeight)
        }
        guard (memory != nil) == readout.usesMemory, readout.usesMemory || (memoryFeatures == nil && memoryScale == nil) else {
            throw ModelCheckpointError.invalidConfiguration(
                method: Self.methodName,
                reason: "read-out '\(readout.rawValue)' needs \(readout.usesMemory ? "" : "no ")'\(PatchMemory.tensorName)' [B, \(keyWidth)] "
                    + "and '\(PatchMemory.scaleName)' [\(width)] tensors")
        }
        guard configuration.scoresPoints else {
            throw ModelCheckpointError.invalidConfiguration(
                method: Self.methodName, reason: "read-out 'none' needs surface deviation, and the configuration has none")
        }
        let head = readout.usesDiscriminator
            ? try DetectorHead(configuration: configuration.head, parameters: headTensors) : nil
        self.init(
            configuration: configuration, encoder: encoder, head: head, memory: memory,
            registration: try Self.registration(reference: reference, wanted: configuration.registration.needsReference),
            surface: try Self.surface(
                points: surfacePoints, normals: surfaceNormals, support: surfaceSupport, rim: surfaceRim, wanted: configuration.surfaceDeviation,
                nonRigid: configuration.surfaceWarp != .never))
    }

    /// The encoder of the checkpoint's remaining `tensors`, nil when not `wanted` (read-out `.none`);
    /// throws when they do not make an encoder of `configuration`, or are present but not wanted.
    private static func encoder(tensors: [String: Tensor], configuration: PointMAEConfiguration, wanted: Bool) throws -> PointMAEEncoder? {
        guard wanted else {
            if let name = tensors.keys.sorted().first {
                throw ModelCheckpointError.invalidConfiguration(
                    method: methodName, reason: "'\(name)' is present but read-out 'none' has no encoder")
            }
            return nil
        }
        do {
            return try PointMAEEncoder(configuration: configuration, weights: tensors)
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: methodName, reason: error.localizedDescription)
        }
    }

    /// The surface template of the checkpoint's `points`, `normals` and optional `support` and
    /// `rim` (warped when `nonRigid`), nil when not `wanted`; throws when their presence, shapes or
    /// values do not match.
    private static func surface(
        points: Tensor?, normals: Tensor?, support: Tensor?, rim: Tensor?, wanted: Bool, nonRigid: Bool
    ) throws -> SurfaceTemplate? {
        guard wanted else {
            guard points == nil, normals == nil, support == nil, rim == nil else {
                throw ModelCheckpointError.invalidConfiguration(
                    method: methodName, reason: "'\(surfaceNames.points)' is present but the configuration has no surface deviation")
            }
            return nil
        }
        guard let points, let normals, points.rank == 2, points.shape[0] >= 3, points.shape[1] == 3, normals.shape == points.shape else {
            throw ModelCheckpointError.invalidConfiguration(
                method: methodName,
                reason: "surface deviation needs '\(surfaceNames.points)' and '\(surfaceNames.normals)' tensors [N ≥ 3, 3]")
        }
        try requireUsablePoints(points, surfaceNames.points)
        if let support, support.shape != [points.shape[0]] || !support.storage.allSatisfy({ (0...1).contains($0) }) {
            throw ModelCheckpointError.invalidConfiguration(
                method: methodName, reason: "'\(surfaceNames.support)' must hold one fraction in [0, 1] per template point")
        }
        if let rim, rim.shape != [points.shape[0]] || !rim.storage.allSatisfy({ $0 == 0 || $0 == 1 }) {
            throw ModelCheckpointError.invalidConfiguration(
                method: methodName, reason: "'\(surfaceNames.rim)' must hold one flag, 0 or 1, per template point")
        }
        do {
            return try SurfaceTemplate(
                points: PointCloud(coordinates: points.storage), normals: normals.storage, support: support?.storage,
                rim: rim?.storage.map { $0 == 1 }, nonRigid: nonRigid)
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: methodName, reason: "'\(surfaceNames.points)': \(error.localizedDescription)")
        }
    }

    /// The registration onto the checkpoint's `reference` points, nil when not `wanted`; throws
    /// when the tensor's presence or shape does not match.
    private static func registration(reference: Tensor?, wanted: Bool) throws -> RigidRegistration? {
        guard wanted else {
            guard reference == nil else {
                throw ModelCheckpointError.invalidConfiguration(
                    method: methodName, reason: "'\(referenceName)' is present but the configuration never registers scans")
            }
            return nil
        }
        guard let reference, reference.rank == 2, reference.shape[0] >= 3, reference.shape[1] == 3 else {
            throw ModelCheckpointError.invalidConfiguration(
                method: methodName, reason: "registering scans needs a '\(referenceName)' tensor [N ≥ 3, 3]")
        }
        try requireUsablePoints(reference, referenceName)
        do {
            return try RigidRegistration(reference: PointCloud(coordinates: reference.storage))
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: methodName, reason: "'\(referenceName)': \(error.localizedDescription)")
        }
    }

    /// Throws unless every coordinate of the points tensor `name` is finite and within the range
    /// scans are read in (beyond it squared distances overflow), and the points span a measurable extent.
    private static func requireUsablePoints(_ points: Tensor, _ name: String) throws {
        do {
            try requireUsableCoordinates(points.storage, path: "'\(name)'")
            try PointCloud(coordinates: points.storage).requireMeasurableExtent(path: "'\(name)'")
        } catch {
            throw ModelCheckpointError.invalidConfiguration(method: methodName, reason: error.localizedDescription)
        }
    }
}
