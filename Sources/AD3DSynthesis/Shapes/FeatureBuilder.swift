import AD3DSupport
import AD3DTensor
import Foundation

/// Adds machining-style features to a base solid, placed relative to the base's bounding box:
/// holes and slots cut through, pockets and blind holes cut into a face, counterbores, bosses
/// (sometimes with a torus fillet bead at the foot) and ribs standing on a face, grooves around
/// round bases, chamfer cuts along edges, and an occasional free-form union or cut.
struct FeatureBuilder {
    /// The components so far (the base first).
    private(set) var components: [ShapeComponent]
    private let low: SIMD3<Float>, high: SIMD3<Float>
    private let baseAxis: Int, roundBase: Bool
    private let alignedProbability: Float

    /// A builder starting from `base`.
    init(base: ShapeComponent, alignedProbability: Float) {
        components = [base]
        let local = base.primitive.bounds
        let center = base.placement.apply((local.min + local.max) / 2)
        let corner = (local.max - local.min) / 2
        // The world box of a rotated box: |R| times the half extents.
        let r = base.placement.rotation.map(abs)
        let half = SIMD3(
            r[0] * corner.x + r[1] * corner.y + r[2] * corner.z, r[3] * corner.x + r[4] * corner.y + r[5] * corner.z,
            r[6] * corner.x + r[7] * corner.y + r[8] * corner.z)
        low = center - half
        high = center + half
        let axis = base.placement.rotate([0, 0, 1])
        baseAxis = abs(axis.x) > 0.5 ? 0 : (abs(axis.y) > 0.5 ? 1 : 2)
        switch base.primitive {
        case .frustum, .capsule, .revolution, .torus: roundBase = true
        default: roundBase = false
        }
        self.alignedProbability = alignedProbability
    }

    /// Appends one random feature (one or two components, never beyond `limit` operations).
    mutating func addRandomFeature(limit: Int, using generator: inout SeededGenerator) {
        let room = limit - (components.count - 1)
        let roll = generator.nextUnitFloat()
        switch roll {
        case ..<0.22: throughHole(counterbore: room >= 2 && generator.nextUnitFloat() < 0.3, using: &generator)
        case ..<0.40: pocket(using: &generator)
        case ..<0.58: boss(fillet: room >= 2 && generator.nextUnitFloat() < 0.35, using: &generator)
        case ..<0.66: rib(using: &generator)
        case ..<0.74: chamferCut(using: &generator)
        case ..<0.80 where roundBase: groove(using: &generator)
        case ..<0.86 where components.count == 1: rounding(using: &generator)
        default: freeForm(using: &generator)
        }
    }

    // MARK: Features

    private mutating func throughHole(counterbore: Bool, using generator: inout SeededGenerator) {
        let axis = randomAxis(preferThin: true, using: &generator)
        let (center, across) = facePoint(axis: axis, using: &generator)
        let radius = across * generator.uniform(0.04...0.18)
        var position = center
        position[axis] = (low[axis] + high[axis]) / 2
        let length = (high[axis] - low[axis]) / 2 * 1.3
        let primitive: SolidPrimitive = generator.nextUnitFloat() < 0.75
            ? .cylinder(radius: radius, halfHeight: length)
            : .extrusion(Profile2D.random(
                kind: .slot, halfWidth: radius * generator.uniform(1.5...4), halfHeight: radius, maximumHoles: 0,
                using: &generator), halfHeight: length)
        add(primitive, along: axis, at: position, .difference, using: &generator)
        if counterbore {
            let side: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
            let depth = (high[axis] - low[axis]) * generator.uniform(0.1...0.3)
            // From `depth` below the face to 30% of it above, so that no face coincides with the base's.
            position[axis] = faceCoordinate(axis: axis, side: side) - side * 0.35 * depth
            add(.cylinder(radius: radius * generator.uniform(1.5...2.2), halfHeight: 0.65 * depth), along: axis, at: position,
                .difference, aligned: true, using: &generator)
        }
    }

    private mutating func pocket(using generator: inout SeededGenerator) {
        let axis = randomAxis(preferThin: false, using: &generator), side: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
        let (center, across) = facePoint(axis: axis, using: &generator)
        let depth = (high[axis] - low[axis]) * generator.uniform(0.15...0.6), overshoot = depth * 0.2
        var position = center
        position[axis] = faceCoordinate(axis: axis, side: side) - side * (depth - overshoot) / 2
        let halfDepth = (depth + overshoot) / 2
        let primitive: SolidPrimitive
        switch generator.integer(in: 0...2) {
        case 0: primitive = .cylinder(radius: across * generator.uniform(0.08...0.3), halfHeight: halfDepth)
        case 1:
            let h = SIMD3(across * generator.uniform(0.08...0.35), across * generator.uniform(0.08...0.35), halfDepth)
            primitive = .box(halfExtents: h, edges: generator.nextUnitFloat() < 0.5 ? .sharp : .round(min(h.x, h.y) * 0.5))
        default:
            let kind = ProfileKind.allCases[generator.integer(in: 0...(ProfileKind.allCases.count - 1))]
            primitive = .extrusion(Profile2D.random(
                kind: kind, halfWidth: across * generator.uniform(0.1...0.35), halfHeight: across * generator.uniform(0.1...0.35),
                maximumHoles: 0, using: &generator), halfHeight: halfDepth)
        }
        add(primitive, along: axis, at: position, .difference, flip: side < 0, using: &generator)
    }

    private mutating func boss(fillet: Bool, using generator: inout SeededGenerator) {
        let axis = randomAxis(preferThin: true, using: &generator), side: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
        let (center, across) = facePoint(axis: axis, using: &generator, margin: 0.6)
        let height = across * generator.uniform(0.1...0.5), embed = (high[axis] - low[axis]) * generator.uniform(0.15...0.35)
        let face = faceCoordinate(axis: axis, side: side)
        var position = center
        position[axis] = face + side * (height - embed) / 2
        let radius = across * generator.uniform(0.06...0.22), halfHeight = (height + embed) / 2
        let primitive: SolidPrimitive
        switch generator.integer(in: 0...3) {
        case 0, 1: primitive = .cylinder(radius: radius, halfHeight: halfHeight)
        case 2: primitive = .frustum(bottomRadius: radius, topRadius: radius * generator.uniform(0.5...0.95), halfHeight: halfHeight)
        default:
            let h = SIMD3(radius, radius * generator.uniform(0.5...2), halfHeight)
            primitive = .box(halfExtents: h, edges: Self.randomEdges(for: h, using: &generator))
        }
        add(primitive, along: axis, at: position, .union, flip: side < 0, aligned: true, using: &generator)
        if fillet, case .frustum(let r0, _, _) = primitive {
            let minor = r0 * generator.uniform(0.15...0.3)
            var foot = position
            foot[axis] = face
            add(.torus(majorRadius: r0 + minor * 0.6, minorRadius: minor), along: axis, at: foot, .union, aligned: true, using: &generator)
        }
    }

    private mutating func rib(using generator: inout SeededGenerator) {
        let axis = randomAxis(preferThin: true, using: &generator), side: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
        let (center, across) = facePoint(axis: axis, using: &generator, margin: 0.3)
        let height = across * generator.uniform(0.1...0.35), embed = (high[axis] - low[axis]) * 0.25
        var position = center
        position[axis] = faceCoordinate(axis: axis, side: side) + side * (height - embed) / 2
        let h = SIMD3(across * generator.uniform(0.2...0.5), across * generator.uniform(0.02...0.06), (height + embed) / 2)
        add(.box(halfExtents: h, edges: .sharp), along: axis, at: position, .union, flip: side < 0, using: &generator)
    }

    private mutating func chamferCut(using generator: inout SeededGenerator) {
        let axis = generator.integer(in: 0...2), i = (axis + 1) % 3, j = (axis + 2) % 3
        let si: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1, sj: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
        let leg = min(high[i] - low[i], high[j] - low[j]) * generator.uniform(0.05...0.25)
        var position = (low + high) / 2
        position[i] = faceCoordinate(axis: i, side: si)
        position[j] = faceCoordinate(axis: j, side: sj)
        var h = SIMD3<Float>(repeating: leg / Float(2).squareRoot())
        h[axis] = (high[axis] - low[axis]) * 0.6
        var direction = SIMD3<Float>.zero
        direction[axis] = 1
        components.append(ShapeComponent(
            primitive: .box(halfExtents: h, edges: .sharp),
            placement: RigidTransform(axis: direction, angle: .pi / 4, translation: position), operation: .difference))
    }

    private mutating func groove(using generator: inout SeededGenerator) {
        let half = (high - low) / 2
        let radial = max(half[(baseAxis + 1) % 3], half[(baseAxis + 2) % 3])
        var position = (low + high) / 2
        position[baseAxis] += half[baseAxis] * generator.uniform(-0.7...0.7)
        let minor = min(radial, half[baseAxis]) * generator.uniform(0.04...0.12)
        add(.torus(majorRadius: radial, minorRadius: minor), along: baseAxis, at: position,
            generator.nextUnitFloat() < 0.75 ? .difference : .union, aligned: true, using: &generator)
    }

    /// An intersection with a large sphere or cylinder: domed or rounded-off bases.
    private mutating func rounding(using generator: inout SeededGenerator) {
        let half = (high - low) / 2, center = (low + high) / 2
        if generator.nextUnitFloat() < 0.5 {
            let radius = SynthesisGeometry.length(half) * generator.uniform(0.75...0.95)
            components.append(ShapeComponent(primitive: .sphere(radius: radius), placement: RigidTransform(
                rotation: RigidTransform.identity.rotation, translation: center), operation: .intersection))
        } else {
            let axis = generator.integer(in: 0...2)
            let radial = SIMD2(half[(axis + 1) % 3], half[(axis + 2) % 3])
            let radius = (radial * radial).sum().squareRoot() * generator.uniform(0.75...0.95)
            add(.cylinder(radius: radius, halfHeight: half[axis] * 1.2), along: axis, at: center, .intersection, aligned: true,
                using: &generator)
        }
    }

    /// A small random primitive merged or cut anywhere near the surface, in any orientation.
    private mutating func freeForm(using generator: inout SeededGenerator) {
        let half = (high - low) / 2, scale = half.min() * generator.uniform(0.2...0.6)
        var position = (low + high) / 2
        let axis = generator.integer(in: 0...2)
        position[axis] += (generator.nextUnitFloat() < 0.5 ? -1 : 1) * half[axis] * generator.uniform(0.6...1)
        for other in 0..<3 where other != axis { position[other] += half[other] * generator.uniform(-0.6...0.6) }
        let primitive: SolidPrimitive
        switch generator.integer(in: 0...3) {
        case 0: primitive = .sphere(radius: scale)
        case 1: primitive = .capsule(radius: scale * 0.4, halfLength: scale)
        case 2: primitive = .torus(majorRadius: scale, minorRadius: scale * generator.uniform(0.15...0.4))
        default: primitive = .box(halfExtents: scale * SIMD3(1, generator.uniform(0.3...1), generator.uniform(0.3...1)), edges: .sharp)
        }
        add(primitive, along: axis, at: position, generator.nextUnitFloat() < 0.5 ? .union : .difference, using: &generator)
    }

    // MARK: Placement

    /// Appends `primitive` with its z axis along assembly `axis` (reversed when `flip`), or, unless
    /// `aligned`, with probability 1 − alignedProbability in a random orientation.
    private mutating func add(
        _ primitive: SolidPrimitive, along axis: Int, at position: SIMD3<Float>, _ operation: CSGOperation,
        flip: Bool = false, aligned: Bool = false, using generator: inout SeededGenerator
    ) {
        var placement = Self.axisPlacement(axis, flip: flip)
        if !aligned && generator.nextUnitFloat() >= alignedProbability {
            placement = RigidTransform.randomRotation(using: &generator)
        }
        placement.translation = position
        components.append(ShapeComponent(primitive: primitive, placement: placement, operation: operation))
    }

    /// A rotation taking z to assembly axis `axis` (to its negative when `flip`).
    static func axisPlacement(_ axis: Int, flip: Bool = false) -> RigidTransform {
        let sign: Float = flip ? -1 : 1
        switch axis {
        case 0: return RigidTransform(axis: [0, 1, 0], angle: sign * .pi / 2)
        case 1: return RigidTransform(axis: [1, 0, 0], angle: -sign * .pi / 2)
        default: return flip ? RigidTransform(axis: [1, 0, 0], angle: .pi) : .identity
        }
    }

    /// Sharp edges half the time, otherwise a chamfer or fillet up to 30% of the smallest half extent.
    static func randomEdges(for h: SIMD3<Float>, using generator: inout SeededGenerator) -> EdgeTreatment {
        let size = h.min() * generator.uniform(0.05...0.3)
        switch generator.nextUnitFloat() {
        case ..<0.5: return .sharp
        case ..<0.75: return .chamfer(size)
        default: return .round(size)
        }
    }

    /// An axis for a feature, biased towards the base's thinnest dimension (plates get holes through their thickness).
    private func randomAxis(preferThin: Bool, using generator: inout SeededGenerator) -> Int {
        let extent = high - low
        let thinnest = extent.x <= extent.y && extent.x <= extent.z ? 0 : (extent.y <= extent.z ? 1 : 2)
        return preferThin && generator.nextUnitFloat() < 0.6 ? thinnest : generator.integer(in: 0...2)
    }

    /// A random point of the box's projection along `axis` (within `margin` of its half extents)
    /// and the smaller extent across that face.
    private func facePoint(
        axis: Int, using generator: inout SeededGenerator, margin: Float = 0.7
    ) -> (SIMD3<Float>, Float) {
        var point = (low + high) / 2
        var across = Float.infinity
        for other in 0..<3 where other != axis {
            let half = (high[other] - low[other]) / 2
            point[other] += half * margin * generator.uniform(-1...1)
            across = min(across, 2 * half)
        }
        return (point, across)
    }

    private func faceCoordinate(axis: Int, side: Float) -> Float { side > 0 ? high[axis] : low[axis] }
}
