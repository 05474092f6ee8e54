import AD3DSupport
import Foundation

/// A smooth random deformation that makes one good instance of a part differ from the others, as
/// natural products and loosely toleranced parts do: the sum of a few wide Gaussian fields of
/// displacement. Applied before defects are carved, so labels measure the defect alone.
public struct InstanceVariation: Sendable, Equatable {
    /// Centres of the displacement fields.
    public let centers: [SIMD3<Float>]
    /// Displacement at each centre.
    public let displacements: [SIMD3<Float>]
    /// Standard deviation of every field's Gaussian fall-off.
    public let radius: Float

    /// Number of fields per instance.
    static let fieldCount = 4
    /// Fall-off radius relative to the part's diagonal.
    static let relativeRadius: Float = 0.3

    /// A random deformation of a part with bounding-box `center` and `diagonal`: fields centred
    /// within half a diagonal of the centre, each displacing by about `amplitude` × `diagonal`.
    public init(amplitude: Float, center: SIMD3<Float>, diagonal: Float, using generator: inout SeededGenerator) {
        var centers = [SIMD3<Float>](), displacements = [SIMD3<Float>]()
        for _ in 0..<Self.fieldCount {
            let offset = SynthesisGeometry.randomDirection(using: &generator) * generator.nextUnitFloat().squareRoot()
            centers.append(center + 0.5 * diagonal * offset)
            let gaussian = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            displacements.append(amplitude * diagonal / Float(3).squareRoot() * gaussian)
        }
        self.centers = centers
        self.displacements = displacements
        radius = Self.relativeRadius * diagonal
    }

    /// Where the deformation moves `point`.
    public func apply(_ point: SIMD3<Float>) -> SIMD3<Float> {
        var moved = point
        for (center, displacement) in zip(centers, displacements) { moved += displacement * field(at: point - center) }
        return moved
    }

    /// The Gaussian weight of a field at `offset` from its centre.
    private func field(at offset: SIMD3<Float>) -> Float {
        exp(-(offset * offset).sum() / (2 * radius * radius))
    }

    /// `sample` deformed: points moved, normals turned by the inverse transpose of the
    /// deformation's Jacobian to first order (n − Σ ∇φₖ (dₖ · n), renormalised).
    public func apply(to sample: SurfaceSample) -> SurfaceSample {
        var positions = sample.positions, normals = sample.normals
        for i in positions.indices {
            let point = positions[i], normal = normals[i]
            var turned = normal
            for (center, displacement) in zip(centers, displacements) {
                let offset = point - center, weight = field(at: offset)
                positions[i] += displacement * weight
                let gradient = -weight / (radius * radius) * offset
                turned -= gradient * SynthesisGeometry.dot(displacement, normal)
            }
            normals[i] = normal == .zero ? normal : SynthesisGeometry.normalized(turned)
        }
        return SurfaceSample(positions: positions, normals: normals)
    }
}
