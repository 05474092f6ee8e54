import AD3DPointCloud
import AD3DSupport
import AD3DTensor
import Foundation

/// Random industrial-part-like solids sampled to point clouds, for pretraining an encoder
/// (Point-MAE-Zero, Chen et al. 2024: procedural shapes pretrain about as well as ShapeNet).
/// A shape is a base primitive (box, cylinder, frustum, sphere, torus, capsule, extruded or
/// revolved random profile, or sometimes one of the built-in parts) with up to a few features
/// merged in by constructive operations — through and blind holes, counterbores, pockets,
/// slots, bosses with fillet beads, ribs, grooves, chamfer cuts — then stretched per axis.
public struct ShapeGenerator: Sendable {
    /// What kind of shapes to draw.
    public struct Configuration: Sendable, Codable, Equatable {
        /// Largest dimension of the base before stretching (arbitrary units).
        public var size: ClosedRange<Float>
        /// At most this many features per shape (a counterbore or a filleted boss counts two).
        public var maximumOperations: Int
        /// Probability that the base is one of the built-in parts.
        public var partProbability: Float
        /// Probability that a feature is aligned with the base's axes (otherwise randomly oriented).
        public var alignedProbability: Float
        /// Each axis is stretched by a factor in `[1 / (1 + anisotropy), 1 + anisotropy]`.
        public var anisotropy: Float
        /// Whether the finished shape gets a uniformly random orientation.
        public var randomOrientation: Bool

        /// The defaults used for pretraining.
        public init(
            size: ClosedRange<Float> = 20...100, maximumOperations: Int = 5, partProbability: Float = 0.1,
            alignedProbability: Float = 0.85, anisotropy: Float = 0.3, randomOrientation: Bool = false
        ) {
            self.size = size
            self.maximumOperations = maximumOperations
            self.partProbability = partProbability
            self.alignedProbability = alignedProbability
            self.anisotropy = anisotropy
            self.randomOrientation = randomOrientation
        }

        /// Throws for values that cannot produce shapes.
        func validate() throws(ShapeGeneratorError) {
            func check(_ ok: Bool, _ name: String, _ problem: String) throws(ShapeGeneratorError) {
                if !ok { throw .invalidConfiguration(name: name, problem: problem) }
            }
            try check(size.lowerBound > 0 && size.upperBound.isFinite, "size", "must be positive and finite")
            try check((0...20).contains(maximumOperations), "maximumOperations", "must be 0–20, got \(maximumOperations)")
            try check((0...1).contains(partProbability), "partProbability", "must be in 0–1, got \(partProbability)")
            try check((0...1).contains(alignedProbability), "alignedProbability", "must be in 0–1, got \(alignedProbability)")
            try check((0...3).contains(anisotropy), "anisotropy", "must be in 0–3, got \(anisotropy)")
        }
    }

    /// The settings.
    public let configuration: Configuration

    /// A generator with `configuration`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// A random assembly (deterministic for the generator's state).
    public func shape(using generator: inout SeededGenerator) throws(ShapeGeneratorError) -> ShapeAssembly {
        try configuration.validate()
        let size = generator.uniform(configuration.size)
        let base = randomBase(size: size, using: &generator)
        var builder = FeatureBuilder(base: base, alignedProbability: configuration.alignedProbability)
        let operations = generator.integer(in: 0...configuration.maximumOperations)
        while builder.components.count - 1 < operations {
            builder.addRandomFeature(limit: operations, using: &generator)
        }
        let a = 1 + configuration.anisotropy
        let stretch = SIMD3<Float>((0..<3).map { _ in exp(generator.uniform(-log(a)...log(a))) })
        return ShapeAssembly(components: builder.components, scale: stretch)
    }

    /// `pointCount` points uniform on a random shape's surface, with outward unit normals.
    /// Shapes whose operations leave almost no surface are redrawn (up to 20 times).
    public func sample(pointCount: Int, using generator: inout SeededGenerator) throws(ShapeGeneratorError) -> SurfaceSample {
        precondition(pointCount >= 0, "point count must be non-negative")
        var attempt = 0
        while true {
            let assembly = try shape(using: &generator)
            do {
                var surface = try assembly.sample(count: pointCount, using: &generator).surface
                if configuration.randomOrientation {
                    let rotation = RigidTransform.randomRotation(using: &generator)
                    surface = SurfaceSample(
                        positions: surface.positions.map(rotation.rotate), normals: surface.normals.map(rotation.rotate))
                }
                return surface
            } catch {
                attempt += 1
                if attempt >= 20 { throw error }
            }
        }
    }

    /// `pointCount` points uniform on a random shape's surface (arbitrary units, not normalised).
    public func cloud(pointCount: Int, using generator: inout SeededGenerator) throws -> PointCloud {
        PointCloud(points: try sample(pointCount: pointCount, using: &generator).positions)
    }

    /// The base solid, placed with its axis along a random assembly axis.
    private func randomBase(size: Float, using generator: inout SeededGenerator) -> ShapeComponent {
        let half = size / 2
        if generator.nextUnitFloat() < configuration.partProbability {
            let part = ProceduralPart.closedParts[generator.integer(in: 0...(ProceduralPart.closedParts.count - 1))]
            var mesh = part.mesh(using: &generator)
            let box = PointCloud(points: mesh.vertices).boundingBox ?? (.zero, .zero)
            let center = (box.min + box.max) / 2
            mesh.vertices = mesh.vertices.map { $0 - center }
            return ShapeComponent(primitive: .part(part, mesh: mesh), placement: FeatureBuilder.axisPlacement(generator.integer(in: 0...2)))
        }
        let primitive: SolidPrimitive
        let roll = generator.nextUnitFloat()
        switch roll {
        case ..<0.28:
            let h = half * SIMD3(1, generator.uniform(0.25...1), generator.uniform(0.1...1))
            primitive = .box(halfExtents: h, edges: FeatureBuilder.randomEdges(for: h, using: &generator))
        case ..<0.40:
            primitive = .cylinder(radius: half * generator.uniform(0.3...1), halfHeight: half * generator.uniform(0.1...1))
        case ..<0.45:
            primitive = .frustum(
                bottomRadius: half * generator.uniform(0.5...1), topRadius: half * generator.uniform(0...0.8),
                halfHeight: half * generator.uniform(0.3...1))
        case ..<0.48:
            primitive = .sphere(radius: half)
        case ..<0.52:
            let minor = half * generator.uniform(0.15...0.4)
            primitive = .torus(majorRadius: half - minor, minorRadius: minor)
        case ..<0.56:
            let radius = half * generator.uniform(0.2...0.5)
            primitive = .capsule(radius: radius, halfLength: max(half - radius, radius * 0.2))
        case ..<0.80:
            let kind = ProfileKind.allCases[generator.integer(in: 0...(ProfileKind.allCases.count - 1))]
            let profile = Profile2D.random(
                kind: kind, halfWidth: half, halfHeight: half * generator.uniform(0.3...1), maximumHoles: 3, using: &generator)
            primitive = .extrusion(profile, halfHeight: half * generator.uniform(0.08...1))
        default:
            primitive = .revolution(RevolutionProfile.random(
                radius: half * generator.uniform(0.3...1), halfHeight: half * generator.uniform(0.3...1), using: &generator))
        }
        return ShapeComponent(primitive: primitive, placement: FeatureBuilder.axisPlacement(generator.integer(in: 0...2)))
    }
}

extension ProceduralPart {
    /// The parts whose meshes are closed, so that the ray-parity inside test holds (the bracket's
    /// bosses and the flange's bolt heads are open shells standing on a face).
    static let closedParts: [ProceduralPart] = [.shaft, .gear, .bottle, .knob, .ring]
}
