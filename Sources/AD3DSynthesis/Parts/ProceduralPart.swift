import AD3DPointCloud
import AD3DSupport

/// A parametric part generated as a triangle mesh in code, so that the demo, the tests and
/// encoder pretraining need no third-party CAD files. Dimensions are in millimetres.
public protocol ProceduralShape: Sendable {
    /// A shape with random proportions drawn from `generator` (deterministic for its seed).
    static func random(using generator: inout SeededGenerator) -> Self
    /// The closed, outward-facing triangle mesh of the shape.
    func mesh() -> TriangleMesh
}

/// The built-in procedural parts, usable by name on the `ad3d synth` command line.
public enum ProceduralPart: String, Sendable, CaseIterable, Codable {
    case bracket, flange, shaft, gear, bottle, knob, ring, rotor, spool

    /// What the part looks like, for help texts.
    public var summary: String {
        switch self {
        case .bracket: return "L-profile bracket with a filleted inner corner and two bosses"
        case .flange: return "revolved flange: disc, hub and bore, with bolt heads"
        case .shaft: return "stepped shaft with chamfers and a groove"
        case .gear: return "spur gear with trapezoidal teeth and a bore"
        case .bottle: return "bottle: body, shoulder, neck and lip"
        case .knob: return "knurled knob with a domed top"
        case .ring: return "torus-like ring with an oval cross-section"
        case .rotor: return "bladed rotor: hub with a bore and 5-16 twisted blades"
        case .spool: return "spool: barrel between two flanges with slotted rims, and a bore"
        }
    }

    /// The mesh of this part with proportions drawn from `generator`.
    public func mesh(using generator: inout SeededGenerator) -> TriangleMesh {
        switch self {
        case .bracket: return BracketPart.random(using: &generator).mesh()
        case .flange: return FlangePart.random(using: &generator).mesh()
        case .shaft: return ShaftPart.random(using: &generator).mesh()
        case .gear: return GearPart.random(using: &generator).mesh()
        case .bottle: return BottlePart.random(using: &generator).mesh()
        case .knob: return KnobPart.random(using: &generator).mesh()
        case .ring: return RingPart.random(using: &generator).mesh()
        case .rotor: return RotorPart.random(using: &generator).mesh()
        case .spool: return SpoolPart.random(using: &generator).mesh()
        }
    }

    /// The parts `random(using:)` draws from: the original seven in their original order, so
    /// that shape streams seeded before the rotor and spool were added stay the same.
    public static let randomChoices: [ProceduralPart] = [.bracket, .flange, .shaft, .gear, .bottle, .knob, .ring]

    /// A random part of a random kind from `randomChoices` (for generating many shapes, e.g. to
    /// pretrain an encoder).
    public static func random(using generator: inout SeededGenerator) -> (part: ProceduralPart, mesh: TriangleMesh) {
        let part = randomChoices[Int(generator.next() % UInt64(randomChoices.count))]
        return (part, part.mesh(using: &generator))
    }
}
