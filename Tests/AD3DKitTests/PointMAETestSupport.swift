import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels

/// Shared helpers of the Point-MAE suites.
enum PointMAETestSupport {
    /// A configuration small enough for debug builds: D 32, L 2, H 2.
    static let miniature = PointMAEConfiguration(dimension: 32, depth: 2, headCount: 2, groupCount: 12, groupSize: 8)

    /// `‖actual − expected‖ / ‖expected‖`, accumulated in Double.
    static func relativeL2(_ actual: [Float], _ expected: [Float]) -> Double {
        precondition(actual.count == expected.count)
        var difference = 0.0, reference = 0.0
        for i in actual.indices {
            let d = Double(actual[i]) - Double(expected[i])
            difference += d * d
            reference += Double(expected[i]) * Double(expected[i])
        }
        return (difference / reference).squareRoot()
    }

    /// A fixture file of the parity set written by Scripts/fixtures/pointmae_reference.py.
    static func fixture(_ name: String, _ ext: String = "npy") throws -> URL {
        try #require(Bundle.module.url(forResource: "parity_\(name)", withExtension: ext, subdirectory: "pointmae"))
    }

    /// Random groups: centres in [-1, 1]³ and neighbourhoods of spread 0.05 with the centre in slot 0.
    static func randomGroups(groups: Int, size: Int, seed: UInt64) -> (centers: Tensor, neighborhoods: Tensor) {
        var generator = SeededGenerator(seed: seed)
        let centers = (0..<(groups * 3)).map { _ in 2 * generator.nextUnitFloat() - 1 }
        var neighborhoods = (0..<(groups * size * 3)).map { _ in 0.05 * generator.nextGaussian() }
        for g in 0..<groups { for axis in 0..<3 { neighborhoods[g * size * 3 + axis] = 0 } }
        return (Tensor(shape: [groups, 3], storage: centers), Tensor(shape: [groups, size, 3], storage: neighborhoods))
    }
}
