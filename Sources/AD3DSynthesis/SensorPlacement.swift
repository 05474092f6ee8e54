import AD3DSupport
import Foundation

/// Where the virtual sensor of a single-view scan stands, relative to the part's bounding-box
/// centre in the part's frame (before the scan's pose).
public struct SensorPlacement: Sendable, Equatable {
    /// Unit direction from the part's centre towards the sensor.
    public var direction: SIMD3<Float>
    /// Distance from the part's centre to the sensor.
    public var distance: Float

    /// Sensor distances, relative to the part's diagonal: far enough to see the whole part, near
    /// enough for perspective to matter.
    public static let relativeDistance: ClosedRange<Float> = 1.5...3
    /// Largest angle (degrees) between a fixture scan's sensor direction and the category's.
    public static let fixtureAngle: Float = 10
    /// Largest relative change of the sensor distance between fixture scans (parts seated slightly
    /// differently in the fixture).
    public static let fixtureDistanceJitter: Float = 0.05

    /// A placement from its direction (unit) and distance.
    public init(direction: SIMD3<Float>, distance: Float) {
        self.direction = direction
        self.distance = distance
    }

    /// A sensor anywhere around a part of `diagonal`: direction uniform on the sphere, distance
    /// uniform in `relativeDistance` × `diagonal`.
    public static func random(diagonal: Float, using generator: inout SeededGenerator) -> SensorPlacement {
        let direction = SynthesisGeometry.randomDirection(using: &generator)
        return SensorPlacement(direction: direction, distance: diagonal * generator.uniform(relativeDistance))
    }

    /// This placement as seen by one part in a fixture: the direction turned by up to
    /// `fixtureAngle`, uniformly over that cone's solid angle, and the distance scaled by up to
    /// ± `fixtureDistanceJitter`.
    public func jittered(using generator: inout SeededGenerator) -> SensorPlacement {
        let cosine = 1 - generator.nextUnitFloat() * (1 - cos(Self.fixtureAngle * .pi / 180))
        let sine = max(0, 1 - cosine * cosine).squareRoot()
        let tangent = SynthesisGeometry.randomTangent(to: direction, using: &generator)
        let turned = SynthesisGeometry.normalized(cosine * direction + sine * tangent)
        let scale = 1 + Self.fixtureDistanceJitter * (2 * generator.nextUnitFloat() - 1)
        return SensorPlacement(direction: turned, distance: distance * scale)
    }

    /// The sensor's position for a part centred at `center`.
    public func position(around center: SIMD3<Float>) -> SIMD3<Float> {
        center + distance * direction
    }
}
