import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DModels

extension DetectorHeadConfiguration {
    /// A head small enough for finite differences and debug-build training (C = 8, D = 4, d = 8).
    static func tiny(
        contextAggregation: Bool = true, discriminator: DiscriminatorKind = .attention
    ) -> DetectorHeadConfiguration {
        var configuration = DetectorHeadConfiguration()
        configuration.inputDimensions = 8
        configuration.adaptorHiddenDimensions = 6
        configuration.adaptedDimensions = 4
        configuration.modelDimensions = 8
        configuration.prototypeCount = 3
        configuration.positionHiddenDimensions = 5
        configuration.blockCount = 1
        configuration.headCount = 2
        configuration.mlpRatio = 2
        configuration.contextAggregation = contextAggregation
        configuration.discriminator = discriminator
        return configuration
    }
}

/// Patch centres `[G, 3]` drawn uniformly from the unit cube.
func randomCenters(_ count: Int, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: [count, 3], storage: (0..<(3 * count)).map { _ in generator.nextUnitFloat() })
}
