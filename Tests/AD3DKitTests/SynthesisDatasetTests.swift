import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DSynthesis
@testable import AD3DEvaluation

/// The written benchmark: accepted by the dataset and score-file evaluation, gt equal to the
/// scans, fractions in range, byte-for-byte deterministic, partial views lose unseen points.
@Suite struct SynthesisDatasetTests {
    @Test func writtenCategoriesAreAcceptedAndPerfectScoresGiveAUROCOne() throws {
        let folder = try SynthesisTemporaryFolder()
        let root = folder.url.appendingPathComponent("data", isDirectory: true)
        let box = Bundle.module.url(forResource: "box", withExtension: "off", subdirectory: "Resources/io")!
        var settings = SynthesisFixtures.smallSettings
        settings.encoding = .ascii
        let manifests = try BenchmarkSynthesizer.run(
            sources: [.part(.gear), .mesh(box)], root: root, settings: settings, overwrite: false)
        #expect(manifests.map(\.category) == ["gear", "box"])

        let layout = try DatasetLayout(discoveringAt: root)
        #expect(layout.categories.map(\.name) == ["box", "gear"])
        let scores = ScoreDirectory(url: folder.url.appendingPathComponent("scores", isDirectory: true))
        for category in layout.categories {
            #expect(category.trainScans.count == 1)
            #expect(category.testSamples.count == 2 + DefectKind.allCases.count)
            #expect(category.testSamples.filter(\.isDefective).count == DefectKind.allCases.count)
            var objects = [ObjectScore]()
            for sample in category.testSamples {
                let loaded = try sample.load()
                let scan = try PointCloudReader.read(sample.scan).cloud
                // The gt file holds exactly the scan's coordinates, in the same order.
                #expect(loaded.cloud.coordinates == scan.coordinates, "\(sample.name): gt and scan differ")
                let fraction = Double(loaded.labels.reduce(0) { $0 + Int($1) }) / Double(loaded.labels.count)
                if sample.isDefective {
                    #expect(settings.defectSize.contains(fraction), "\(sample.name): fraction \(fraction)")
                } else {
                    #expect(fraction == 0)
                }
                try ScoreFiles.writePointScores(
                    loaded.labels.map(Float.init), to: scores.category(category.name).pointScoresURL(scan: sample.name))
                objects.append(ObjectScore(scan: sample.name, score: sample.isDefective ? 1 : 0))
            }
            try ScoreFiles.writeObjectScores(objects, to: scores.category(category.name).objectScoresURL)
        }
        let report = try ScoreFileEvaluation.evaluate(layout, scores: scores)
        for category in report.categories {
            #expect(category.objectAUROC == 1)
            #expect(category.pointAUROC == 1)
        }
    }

    @Test func manifestRecordsEveryScan() throws {
        let folder = try SynthesisTemporaryFolder()
        var settings = SynthesisFixtures.smallSettings
        settings.defectKinds = [.hole, .bend]
        let manifest = try #require(try BenchmarkSynthesizer.run(
            sources: [.part(.knob)], root: folder.url, settings: settings, overwrite: false).first)
        let data = try Data(contentsOf: folder.url.appendingPathComponent("knob/manifest.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(CategoryManifest.self, from: data) == manifest)
        #expect(manifest.samples.map(\.name) == ["0_template", "0_good", "1_good", "2_hole", "3_bend"])
        #expect(manifest.summary.map(\.kind) == [.hole, .bend])
        for record in manifest.samples {
            let url = folder.url.appendingPathComponent("knob/\(record.split)/\(record.name).pcd")
            #expect(try PointCloudReader.read(url).cloud.count == record.points)
            #expect((record.defect == nil) == (record.kind == "good"))
        }
    }

    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        var settings = SynthesisFixtures.smallSettings
        settings.pose = .jitter
        settings.partialView = .test
        func write(seed: UInt64) throws -> [String: Data] {
            let folder = try SynthesisTemporaryFolder()
            settings.seed = seed
            _ = try BenchmarkSynthesizer.run(sources: [.part(.ring)], root: folder.url, settings: settings, overwrite: false)
            return try folder.contents()
        }
        let first = try write(seed: 3)
        #expect(first.count == 1 + 1 + 2 + 2 * DefectKind.allCases.count, "manifest, train, good, defective scans and their gt")
        #expect(first == (try write(seed: 3)))
        #expect(first["ring/test/0_good.pcd"] != (try write(seed: 4))["ring/test/0_good.pcd"])
    }

    @Test func existingCategoriesNeedOverwrite() throws {
        let folder = try SynthesisTemporaryFolder()
        var settings = SynthesisFixtures.smallSettings
        settings.defectKinds = [.bulge]
        let stale = folder.url.appendingPathComponent("shaft/test/99_good.pcd")
        try FileManager.default.createDirectory(at: stale.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("stale".utf8).write(to: stale)
        #expect(throws: SynthesisError.categoryExists(path: folder.url.appendingPathComponent("shaft").path)) {
            try BenchmarkSynthesizer.run(sources: [.part(.shaft)], root: folder.url, settings: settings, overwrite: false)
        }
        _ = try BenchmarkSynthesizer.run(sources: [.part(.shaft)], root: folder.url, settings: settings, overwrite: true)
        #expect(!FileManager.default.fileExists(atPath: stale.path), "overwrite replaces the whole category")
    }

    @Test func partialViewRemovesPointsTheSensorCannotSee() throws {
        let sampler = try SynthesisFixtures.sampler(.bottle)
        var generator = SeededGenerator(seed: 2)
        let sample = sampler.sample(count: 3000, using: &generator)
        let sensor = sampler.center + 2 * sampler.diagonal * SIMD3<Float>(0.6, 0, 0.8)
        let visible = ScanSimulator.visibility(of: sample, from: sensor, occluders: MeshRayCaster(mesh: sampler.mesh))
        for i in sample.positions.indices where visible[i] {
            #expect((sample.normals[i] * (sensor - sample.positions[i])).sum() > 0, "seen points face the sensor")
        }
        let share = Double(visible.filter { $0 }.count) / 3000
        #expect(share > 0.25 && share < 0.6, "a single view sees part of the surface, not \(share)")

        // Test scans of a partial-view benchmark record their sensor and hold fewer points.
        var settings = SynthesisFixtures.smallSettings
        settings.partialView = .test
        settings.points = 2000...2000
        settings.defectKinds = [.sink]
        let synthesizer = try CategorySynthesizer(source: .part(.bottle), settings: settings)
        let train = try synthesizer.scan(0), good = try synthesizer.scan(1), sink = try synthesizer.scan(3)
        #expect(train.record.sensorDirection == nil && train.cloud.count == 2000)
        #expect(good.record.sensorDirection != nil && good.cloud.count < 1600)
        #expect(sink.record.sensorDirection != nil && (sink.cloud.labels ?? []).contains(1))
    }

    @Test func posesAreRigidAndScansFollowThem() throws {
        var generator = SeededGenerator(seed: 4)
        for mode in PoseMode.allCases {
            let pose = ScanSimulator.pose(mode, center: [1, 2, 3], diagonal: 10, using: &generator)
            let r = pose.rotation
            let rows = [SIMD3(r[0], r[1], r[2]), SIMD3(r[3], r[4], r[5]), SIMD3(r[6], r[7], r[8])]
            for a in 0..<3 {
                for b in 0..<3 { #expect(abs((rows[a] * rows[b]).sum() - (a == b ? 1 : 0)) < 1e-5) }
            }
            let determinant = (rows[0] * SynthesisGeometry.cross(rows[1], rows[2])).sum()
            #expect(abs(determinant - 1) < 1e-5)
            if mode == .aligned { #expect(pose == .identity) }
            if mode == .jitter { #expect(SynthesisFixtures.distance(pose.apply([1, 2, 3]), [1, 2, 3]) < 1) }
        }
        // Without noise, a written scan is its points under the recorded pose, shuffled.
        var settings = SynthesisFixtures.smallSettings
        settings.noise = 0
        settings.pose = .random
        let synthesizer = try CategorySynthesizer(source: .part(.gear), settings: settings)
        let scan = try synthesizer.scan(1)
        var replay = SeededGenerator(seed: scan.record.seed)
        let count = replay.integer(in: settings.points)
        let clean = synthesizer.sampler.sample(count: count, using: &replay)
        let pose = RigidTransform(rotation: scan.record.rotation, translation: scan.record.translation)
        let expected = clean.positions.map { pose.apply($0) }.map { [$0.x, $0.y, $0.z] }.sorted { $0.lexicographicallyPrecedes($1) }
        let written = (0..<scan.cloud.count).map { [scan.cloud[$0].x, scan.cloud[$0].y, scan.cloud[$0].z] }
            .sorted { $0.lexicographicallyPrecedes($1) }
        #expect(expected == written)
    }

    @Test func badInputsGiveClearErrors() throws {
        #expect(throws: SynthesisError.unknownInput(name: "widget", parts: ProceduralPart.allCases.map(\.rawValue))) {
            try SynthesisSource(argument: "widget")
        }
        #expect(throws: SynthesisError.plyIsNotAMesh(path: "scan.ply")) { try SynthesisSource(argument: "scan.ply") }
        #expect(try SynthesisSource(argument: "Gear") == .part(.gear))
        #expect(throws: PointCloudIOError.self) {
            try CategorySynthesizer(source: .mesh(URL(fileURLWithPath: "/nonexistent/part.stl")), settings: SynthesisSettings())
        }
        var settings = SynthesisSettings()
        settings.defectSize = 0...0.1
        #expect(throws: SynthesisError.self) { try settings.validate() }
        settings = SynthesisSettings()
        settings.noise = 0.01
        #expect(throws: SynthesisError.self) { try settings.validate() }
        settings = SynthesisSettings()
        #expect(throws: SynthesisError.duplicateCategory(name: "gear")) {
            try BenchmarkSynthesizer.run(
                sources: [.part(.gear), .part(.gear)], root: URL(fileURLWithPath: "/nonexistent"), settings: settings,
                overwrite: false)
        }
        // A range no defect can meet is reported, not looped on.
        settings = SynthesisFixtures.smallSettings
        settings.defectKinds = [.hole]
        settings.defectSize = 0.45...0.5
        settings.goodCount = 0
        let synthesizer = try CategorySynthesizer(source: .part(.shaft), settings: settings)
        #expect(throws: SynthesisError.self) { try synthesizer.scan(1) }
    }
}
