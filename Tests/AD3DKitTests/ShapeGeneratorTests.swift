import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DSynthesis

@Suite("Shape generator")
struct ShapeGeneratorTests {
    @Test("Exactly the requested number of finite points", arguments: [0, 1, 777, 4096])
    func exactCount(count: Int) throws {
        var generator = SeededGenerator(seed: UInt64(count))
        let cloud = try ShapeGenerator().cloud(pointCount: count, using: &generator)
        #expect(cloud.count == count)
        #expect(cloud.coordinates.allSatisfy { $0.isFinite })
    }

    @Test("Deterministic for a seed; different seeds give different shapes")
    func determinism() throws {
        let shapes = ShapeGenerator()
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42), other = SeededGenerator(seed: 43)
        let a = try shapes.cloud(pointCount: 2048, using: &first), b = try shapes.cloud(pointCount: 2048, using: &second)
        let c = try shapes.cloud(pointCount: 2048, using: &other)
        #expect(a == b)
        #expect(a != c)
        let shapeA = try shapes.shape(using: &first), shapeC = try shapes.shape(using: &other)
        #expect(shapeA.description != shapeC.description)
    }

    @Test("Many seeds: every shape samples, sizes follow the configuration, the shapes vary")
    func variety() throws {
        let shapes = ShapeGenerator(configuration: .init(size: 20...100, partProbability: 0.2))
        var generator = SeededGenerator(seed: 7)
        var bases = Set<String>(), operations = 0, sizes = [Float]()
        for _ in 0..<60 {
            var probe = generator
            let assembly = try shapes.shape(using: &probe)
            bases.insert(String(assembly.components[0].primitive.summary.prefix { $0 != " " }))
            operations += assembly.components.count - 1
            let cloud = try shapes.cloud(pointCount: 512, using: &generator)
            let box = cloud.boundingBox!
            sizes.append((box.max - box.min).max())
        }
        #expect(bases.count >= 7, "bases seen: \(bases.sorted())")
        #expect(operations > 60)
        #expect(sizes.min()! > 5 && sizes.max()! < 250)
    }

    @Test("Random orientation keeps the point count and the distances from the centroid's spread")
    func randomOrientation() throws {
        var configuration = ShapeGenerator.Configuration()
        configuration.randomOrientation = true
        var generator = SeededGenerator(seed: 8), plain = SeededGenerator(seed: 8)
        let rotated = try ShapeGenerator(configuration: configuration).sample(pointCount: 1000, using: &generator)
        let upright = try ShapeGenerator().sample(pointCount: 1000, using: &plain)
        #expect(rotated.count == 1000)
        for i in stride(from: 0, to: 1000, by: 97) {
            let d0 = SynthesisGeometry.length(rotated.positions[i] - rotated.positions[0])
            let d1 = SynthesisGeometry.length(upright.positions[i] - upright.positions[0])
            #expect(abs(d0 - d1) <= 1e-3 * max(d1, 1))
        }
    }

    @Test("Invalid configurations are rejected with the setting's name")
    func invalidConfiguration() {
        var generator = SeededGenerator(seed: 1)
        var configuration = ShapeGenerator.Configuration()
        configuration.maximumOperations = -1
        #expect(throws: ShapeGeneratorError.self) { try ShapeGenerator(configuration: configuration).cloud(pointCount: 10, using: &generator) }
        configuration = .init(size: 0...10)
        do {
            _ = try ShapeGenerator(configuration: configuration).shape(using: &generator)
            Issue.record("a zero size must be rejected")
        } catch {
            #expect(error.errorDescription?.contains("size") == true)
        }
    }

    @Test("A shape whose difference removes everything reports it instead of looping")
    func emptyShapeFails() {
        let cube = SolidPrimitive.box(halfExtents: [1, 1, 1], edges: .sharp)
        let assembly = ShapeAssembly(components: [
            ShapeComponent(primitive: cube), ShapeComponent(primitive: .sphere(radius: 5), operation: .difference),
        ])
        var generator = SeededGenerator(seed: 2)
        #expect(throws: ShapeGeneratorError.self) { try assembly.sample(count: 100, using: &generator) }
    }
}
