import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DDetection

/// The variance-scaled random encoder used without pretrained weights, and its patch-size fit.
@Suite struct RandomEncoderTests {
    private let configuration = PointMAETestSupport.miniature

    @Test func varianceScaledWeightsHaveHeDeviations() throws {
        let inputScale: Float = 0.05
        let encoder = try PointMAEEncoder(configuration: configuration, seed: 11, initialization: .varianceScaled(inputScale: inputScale))
        let official = try PointMAEEncoder(configuration: configuration, seed: 11).weights()
        for (name, tensor) in encoder.weights() {
            guard tensor.rank == 2 else {
                // Biases, norms and BatchNorm statistics start as in Point-MAE.
                #expect(tensor == official[name], "\(name)")
                continue
            }
            let values = tensor.storage
            let std = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
            var expected = (2 / Float(tensor.shape[1])).squareRoot()
            if name == "encoder.patch.conv1.weight" { expected /= inputScale }
            #expect(abs(std / expected - 1) < (values.count > 1000 ? 0.1 : 0.4), "\(name): std \(std), expected \(expected)")
        }
    }

    @Test func firstLayerScaleCancelsThePatchSize() throws {
        // Zero biases make the patch embedding positively homogeneous, so an encoder fitted to
        // patches s times larger sees exactly what the unit-scale one sees on unit patches.
        let (centers, neighborhoods) = PointMAETestSupport.randomGroups(groups: 6, size: 5, seed: 3)
        let scale: Float = 0.01
        let unit = try PointMAEEncoder(configuration: configuration, seed: 4, initialization: .varianceScaled(inputScale: 1))
        let small = try PointMAEEncoder(configuration: configuration, seed: 4, initialization: .varianceScaled(inputScale: scale))
        let reference = unit.features(centers: centers, neighborhoods: neighborhoods).features
        let shrunk = small.features(centers: centers, neighborhoods: scale * neighborhoods).features
        expectClose(shrunk, reference, rtol: 1e-3, atol: 1e-3)
    }

    @Test func patchRadiusIsTheRootMeanSquareNeighbourDistance() throws {
        // Ten points 0.1 apart on a line, every point a centre with its 2 nearest neighbours:
        // inner patches hold offsets 0, ±0.1; the end patches 0, 0.1, 0.2.
        var grouping = configuration
        grouping.groupCount = 10
        grouping.groupSize = 3
        let line = PointCloud(coordinates: (0..<10).flatMap { [Float($0) * 0.1, 0, 0] })
        let radius = try RandomEncoder.patchRadius(of: [line, line], configuration: grouping, encodedPoints: 100)
        let expected = ((8 * 0.02 + 2 * 0.05) / 30.0).squareRoot()
        #expect(abs(Double(radius) - expected) < 1e-6)
        #expect(try RandomEncoder.patchRadius(of: [], configuration: grouping, encodedPoints: 100) == 1)
    }

    @Test func fittedEncoderTokensVaryWithShapeNotOnlyPosition() throws {
        // On a bumpy sheet in a unit-diagonal frame, Point-MAE's own initialisation gives patch
        // tokens far smaller than the positional embedding; the fitted encoder does not.
        var generator = SeededGenerator(seed: 5)
        let coordinates = (0..<600).flatMap { _ -> [Float] in
            let (x, y) = (generator.nextUnitFloat() * 0.7, generator.nextUnitFloat() * 0.7)
            return [x, y, 0.03 * sin(20 * x) * cos(15 * y)]
        }
        let sheet = PointCloud(coordinates: coordinates)
        let patches = try ScanEncoder.patches(of: sheet, configuration: configuration, encodedPoints: 600)
        func tokenToPositionRatio(_ encoder: PointMAEEncoder) -> Float {
            let parts = encoder.features(centers: patches.centers, neighborhoods: patches.neighborhoods, keepingIntermediates: true)
            let tokens = parts.intermediates!.tokens.storage, positions = parts.intermediates!.positions.storage
            return (tokens.map { $0 * $0 }.reduce(0, +) / positions.map { $0 * $0 }.reduce(0, +)).squareRoot()
        }
        let fitted = try RandomEncoder.fitted(
            configuration: configuration, seed: 2, scans: [sheet], frameMode: .none, encodedPoints: 600)
        #expect(tokenToPositionRatio(try PointMAEEncoder(configuration: configuration, seed: 2)) < 0.1)
        #expect(tokenToPositionRatio(fitted) > 1)
    }
}
