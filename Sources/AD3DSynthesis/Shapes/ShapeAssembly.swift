import AD3DSupport
import AD3DTensor
import Foundation

/// How a component combines with everything before it in an assembly.
public enum CSGOperation: String, Sendable, Codable, CaseIterable {
    case union, difference, intersection

    /// The membership of a point after the operation, from before it and in the component.
    @inline(__always)
    func combine(_ before: Bool, _ component: Bool) -> Bool {
        switch self {
        case .union: return before || component
        case .difference: return before && !component
        case .intersection: return before && component
        }
    }
}

/// A primitive placed in the assembly and the operation that merges it in.
public struct ShapeComponent: Sendable {
    /// The solid, in its own frame.
    public var primitive: SolidPrimitive
    /// Primitive frame → assembly frame (a rotation and translation).
    public var placement: RigidTransform
    /// How it combines with the components before it (ignored for the first).
    public var operation: CSGOperation

    /// A component.
    public init(primitive: SolidPrimitive, placement: RigidTransform = .identity, operation: CSGOperation = .union) {
        self.primitive = primitive
        self.placement = placement
        self.operation = operation
    }
}

/// A constructive solid: components folded left to right by their operations, then stretched by
/// `scale` along the assembly axes. Sampled at the point level: each component's surface is
/// sampled in proportion to its area, and a point is kept only where it lies on the final boundary.
public struct ShapeAssembly: Sendable, CustomStringConvertible {
    /// The components; the first is the base.
    public var components: [ShapeComponent]
    /// Per-axis stretch applied last (anisotropic scale).
    public var scale: SIMD3<Float>

    /// An assembly from components (at least one) and a positive per-axis scale.
    public init(components: [ShapeComponent], scale: SIMD3<Float> = [1, 1, 1]) {
        precondition(!components.isEmpty && scale.min() > 0, "an assembly needs a component and a positive scale")
        self.components = components
        self.scale = scale
    }

    /// One line per component.
    public var description: String {
        let parts = components.enumerated().map { index, component in
            let t = component.placement.translation
            let at = String(format: "at (%.1f, %.1f, %.1f)", t.x, t.y, t.z)
            return (index == 0 ? "base" : component.operation.rawValue) + " \(component.primitive.summary) \(at)"
        }
        return (parts + [String(format: "scale (%.2f, %.2f, %.2f)", scale.x, scale.y, scale.z)]).joined(separator: "; ")
    }

    /// Whether each point (in the scaled frame) is inside the solid, boundaries included.
    public func contains(_ points: [SIMD3<Float>]) -> [Bool] {
        let compiled = CompiledAssembly(self)
        return points.map { compiled.contains($0 / scale) }
    }

    /// `count` points uniform on the final surface with outward unit normals, and the fraction
    /// of candidate points kept. Throws when fewer than 1 in 50 candidates survive.
    public func sample(
        count: Int, using generator: inout SeededGenerator
    ) throws(ShapeGeneratorError) -> (surface: SurfaceSample, acceptance: Double) {
        try CompiledAssembly(self).sample(count: count, using: &generator, description: { description })
    }
}

/// A component ready for sampling: its pieces with their cumulative areas, its inside test, and
/// its placement as SIMD rows.
private struct CompiledComponent {
    let operation: CSGOperation
    let containment: SolidContainment
    let patches: [SurfacePatch]
    let cumulative: [Float]
    let area: Float
    let rows: (SIMD3<Float>, SIMD3<Float>, SIMD3<Float>), translation: SIMD3<Float>

    init(_ component: ShapeComponent) {
        operation = component.operation
        containment = SolidContainment(component.primitive)
        patches = component.primitive.patches().filter { $0.area > 0 && $0.area.isFinite }
        var total: Float = 0
        cumulative = patches.map { total += $0.area; return total }
        area = total
        let r = component.placement.rotation
        rows = (SIMD3(r[0], r[1], r[2]), SIMD3(r[3], r[4], r[5]), SIMD3(r[6], r[7], r[8]))
        translation = component.placement.translation
    }

    /// `R · v`.
    @inline(__always)
    func rotate(_ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((rows.0 * v).sum(), (rows.1 * v).sum(), (rows.2 * v).sum())
    }

    /// Whether the assembly-frame point `p` is inside.
    @inline(__always)
    func contains(_ p: SIMD3<Float>, closed: Bool) -> Bool {
        let q = p - translation
        return containment.contains(rows.0 * q.x + rows.1 * q.y + rows.2 * q.z, closed: closed)
    }

    /// A uniform point of the surface with its outward normal, in the assembly frame.
    func sample(using generator: inout SeededGenerator) -> (SIMD3<Float>, SIMD3<Float>) {
        let target = generator.nextUnitFloat() * area
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        let (p, n) = patches[low].sample(using: &generator)
        return (rotate(p) + translation, rotate(n))
    }
}

private struct CompiledAssembly {
    let components: [CompiledComponent]
    let cumulative: [Float]
    let scale: SIMD3<Float>

    init(_ assembly: ShapeAssembly) {
        components = assembly.components.map(CompiledComponent.init)
        var total: Float = 0
        cumulative = components.map { total += $0.area; return total }
        scale = assembly.scale
    }

    func contains(_ p: SIMD3<Float>) -> Bool {
        var inside = false
        for (index, component) in components.enumerated() {
            let member = component.contains(p, closed: true)
            inside = index == 0 ? member : component.operation.combine(inside, member)
        }
        return inside
    }

    /// +1 when the point `p` of component `source`'s boundary is on the final boundary with the
    /// component's normal pointing out, −1 when it is there with the normal pointing in, 0 when
    /// it is not on the final boundary: the final membership is evaluated with the source forced
    /// inside and forced outside, and the point is on the boundary exactly when the two differ.
    /// Components before the source test their boundary as outside, later ones as inside, so that
    /// a face shared by two components is kept once.
    private func orientation(of p: SIMD3<Float>, on source: Int) -> Float {
        var before = false
        for index in 0..<source {
            let member = components[index].contains(p, closed: false)
            before = index == 0 ? member : components[index].operation.combine(before, member)
        }
        var forcedIn = source == 0 ? true : components[source].operation.combine(before, true)
        var forcedOut = source == 0 ? false : components[source].operation.combine(before, false)
        for index in (source + 1)..<components.count {
            guard forcedIn != forcedOut else { return 0 }
            let member = components[index].contains(p, closed: true)
            forcedIn = components[index].operation.combine(forcedIn, member)
            forcedOut = components[index].operation.combine(forcedOut, member)
        }
        return forcedIn == forcedOut ? 0 : (forcedIn ? 1 : -1)
    }

    func sample(
        count: Int, using generator: inout SeededGenerator, description: () -> String
    ) throws(ShapeGeneratorError) -> (surface: SurfaceSample, acceptance: Double) {
        var positions = [SIMD3<Float>](), normals = [SIMD3<Float>]()
        positions.reserveCapacity(count)
        normals.reserveCapacity(count)
        let total = cumulative.last ?? 0
        // Stretching by `scale` multiplies the area of a surface element with normal n by
        // det(S)·|S⁻¹n|; keeping a point with probability |S⁻¹n| / max(S⁻¹) keeps the density uniform.
        let inverse = 1 / scale, largest = inverse.max()
        let limit = 50 * count + 2000
        var candidates = 0
        while positions.count < count {
            guard candidates < limit, total > 0 else {
                throw .surfaceNotFound(shape: description(), accepted: positions.count, candidates: candidates)
            }
            candidates += 1
            let target = generator.nextUnitFloat() * total
            var source = 0
            while source < components.count - 1 && cumulative[source] <= target { source += 1 }
            let (p, n) = components[source].sample(using: &generator)
            let sign = orientation(of: p, on: source)
            let stretched = sign * n * inverse, length = SynthesisGeometry.length(stretched)
            guard sign != 0, generator.nextUnitFloat() * largest < length else { continue }
            positions.append(p * scale)
            normals.append(stretched / length)
        }
        return (SurfaceSample(positions: positions, normals: normals), count == 0 ? 1 : Double(count) / Double(candidates))
    }
}
