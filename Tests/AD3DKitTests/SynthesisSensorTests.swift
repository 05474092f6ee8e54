import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DSynthesis

/// Where single-view sensors stand in each `--partial-view` mode.
@Suite struct SynthesisSensorTests {
    /// Angle in degrees between two unit vectors.
    private func degrees(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
        acos(min(1, max(-1, SynthesisGeometry.dot(a, b)))) * 180 / .pi
    }

    /// The scans of `part` under `mode`: two training scans, two good and one sink test scan.
    private func scans(_ part: ProceduralPart, mode: PartialViewMode) throws -> (CategorySynthesizer, [SynthesizedScan]) {
        var settings = SynthesisFixtures.smallSettings
        settings.trainCount = 2
        settings.defectKinds = [.sink]
        settings.points = 2000...2000
        settings.partialView = mode
        let synthesizer = try CategorySynthesizer(source: .part(part), settings: settings)
        return (synthesizer, try synthesizer.plan.indices.map { try synthesizer.scan($0) })
    }

    @Test func fixtureScansAreSeenFromWithinTenDegreesOfOneDirection() throws {
        let (synthesizer, made) = try scans(.spool, mode: .fixture)
        let fixture = try #require(synthesizer.fixtureSensor)
        let sampler = synthesizer.sampler
        for scan in made {
            let direction = try #require(scan.record.sensorDirection, "\(scan.record.name) is a single view")
            let position = try #require(scan.record.sensorPosition)
            #expect(degrees(direction, fixture.direction) <= SensorPlacement.fixtureAngle + 1e-3)
            let distance = SynthesisGeometry.length(position - sampler.center)
            #expect(abs(distance / fixture.distance - 1) <= SensorPlacement.fixtureDistanceJitter + 1e-4)
            #expect(SynthesisFixtures.distance(position, sampler.center + distance * direction) < 1e-3 * distance)
            #expect(scan.cloud.count < 2000, "\(scan.record.name) lost the points the sensor cannot see")
        }
        let directions = made.compactMap(\.record.sensorDirection)
        #expect(Set(directions.map { [$0.x, $0.y, $0.z] }).count == made.count, "every scan is jittered on its own")
        // Another category has its own fixture direction, drawn from its own stream.
        let (other, _) = try scans(.gear, mode: .fixture)
        #expect(try #require(other.fixtureSensor) != fixture)
    }

    @Test func testModeKeepsTrainingScansCompleteAndViewsTestScansFromAnywhere() throws {
        let (synthesizer, made) = try scans(.rotor, mode: .test)
        #expect(synthesizer.fixtureSensor == nil)
        let diagonal = synthesizer.sampler.diagonal
        for scan in made {
            if scan.record.split == "train" {
                #expect(scan.record.sensorDirection == nil && scan.record.sensorPosition == nil)
                #expect(scan.cloud.count == 2000, "training scans are complete")
            } else {
                let position = try #require(scan.record.sensorPosition)
                let distance = SynthesisGeometry.length(position - synthesizer.sampler.center) / diagonal
                let range = SensorPlacement.relativeDistance
                #expect(distance > range.lowerBound - 1e-4 && distance < range.upperBound + 1e-4, "distance \(distance)")
                #expect(scan.cloud.count < 1600)
            }
        }
    }

    @Test func allModeViewsTrainingScansToo() throws {
        let (_, made) = try scans(.gear, mode: .all)
        #expect(made.allSatisfy { $0.record.sensorPosition != nil && $0.cloud.count < 2000 })
        let (_, complete) = try scans(.gear, mode: .none)
        #expect(complete.allSatisfy { $0.record.sensorPosition == nil && $0.cloud.count == 2000 })
    }

    @Test func jitterStaysInTheConeAndFillsIt() {
        var generator = SeededGenerator(seed: 9)
        let base = SensorPlacement(direction: SynthesisGeometry.normalized([0.2, -0.5, 0.8]), distance: 100)
        let angles = (0..<2000).map { _ in degrees(base.jittered(using: &generator).direction, base.direction) }
        #expect(angles.allSatisfy { $0 <= SensorPlacement.fixtureAngle + 1e-3 })
        // Uniform over the cone's solid angle: half of the directions lie within about 7.07°.
        let inner = Double(angles.filter { $0 < 7.0735 }.count) / 2000
        #expect(abs(inner - 0.5) < 0.04, "share within the half-solid-angle cone \(inner)")
    }
}
