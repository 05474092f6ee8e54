import Foundation
import Testing
import AD3DKit
@testable import AD3DEvaluation

/// Discovery of the Real3D-AD / Anomaly-ShapeNet folder layout.
@Suite struct EvaluationDatasetTests {
    private typealias Folder = EvaluationTemporaryFolder

    @Test(arguments: ["gt", "GT"])
    func discoversCategory(groundTruthFolder: String) throws {
        let temp = try Folder()
        try temp.write(Folder.scanText(points: 3), to: "duck/train/a_template.txt")
        try temp.write(Folder.scanText(points: 3), to: "duck/train/b_template.txt")
        try temp.write("notes", to: "duck/train/README.md")
        try temp.write(Folder.scanText(points: 3), to: "duck/test/2_good.txt")
        try temp.write(Folder.scanText(points: 3), to: "duck/test/1_bulge.txt")
        try temp.write(Folder.scanText(points: 3), to: "duck/test/.hidden.txt")
        try temp.write(Folder.groundTruthText(labels: [0, 1, 0]), to: "duck/\(groundTruthFolder)/1_bulge.txt")

        let category = try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("duck"))
        #expect(category.name == "duck")
        #expect(category.trainScans.map(\.lastPathComponent) == ["a_template.txt", "b_template.txt"])
        #expect(category.testSamples.map(\.name) == ["1_bulge", "2_good"])
        #expect(category.testSamples.map(\.isDefective) == [true, false])
        #expect(category.testSamples[0].groundTruth?.lastPathComponent == "1_bulge.txt")
        #expect(category.testSamples[0].groundTruth?.deletingLastPathComponent().lastPathComponent == groundTruthFolder)

        let layout = try DatasetLayout(discoveringAt: temp.url.appendingPathComponent("duck"))
        #expect(layout.isSingleCategory)
        #expect(layout.categories == [category])
    }

    @Test func discoversRootWithSortedCategories() throws {
        let temp = try Folder()
        for name in ["shell", "airplane", "car"] {
            try temp.write(Folder.scanText(points: 2), to: "\(name)/test/good.txt")
        }
        try temp.write("x", to: "notes/readme.md")
        try temp.write("x", to: "LICENSE")
        let layout = try DatasetLayout(discoveringAt: temp.url)
        #expect(!layout.isSingleCategory)
        #expect(layout.categories.map(\.name) == ["airplane", "car", "shell"])
        #expect(layout.categories.allSatisfy { $0.trainScans.isEmpty && $0.testSamples.count == 1 })
    }

    @Test func followsSymbolicLinksToCategories() throws {
        let temp = try Folder()
        try temp.write(Folder.scanText(points: 2), to: "elsewhere/fish/test/good.txt")
        try temp.folder("root")
        try FileManager.default.createSymbolicLink(
            at: temp.url.appendingPathComponent("root/fish"),
            withDestinationURL: temp.url.appendingPathComponent("elsewhere/fish"))
        let layout = try DatasetLayout(discoveringAt: temp.url.appendingPathComponent("root"))
        #expect(layout.categories.map(\.name) == ["fish"])
        #expect(layout.categories[0].testSamples.map(\.name) == ["good"])
    }

    @Test func layoutErrors() throws {
        let temp = try Folder()
        let missing = temp.url.appendingPathComponent("nowhere")
        #expect(throws: DatasetError.notADirectory(path: missing.path)) {
            try DatasetLayout(discoveringAt: missing)
        }

        try temp.write(Folder.scanText(points: 2), to: "noTest/train/a.txt")
        let noTest = temp.url.appendingPathComponent("noTest")
        #expect(throws: DatasetError.missingTestFolder(category: noTest.path)) {
            try DatasetLayout(discoveringAt: noTest)
        }
        let forTraining = try DatasetLayout(discoveringAt: noTest, readingTests: false)
        #expect(forTraining.categories.map(\.trainScans.count) == [1])
        #expect(forTraining.categories.map(\.testSamples.isEmpty) == [true])

        try temp.folder("empty/test")
        try temp.write("not a scan", to: "empty/test/notes.md")
        let emptyTest = temp.url.appendingPathComponent("empty/test")
        #expect(throws: DatasetError.noScans(folder: emptyTest.path)) {
            try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("empty"))
        }

        try temp.write(Folder.scanText(points: 2), to: "orphan/test/good.txt")
        let orphan = try temp.write(Folder.groundTruthText(labels: [1, 0]), to: "orphan/gt/lost.txt")
        #expect(throws: DatasetError.orphanGroundTruth(
            path: orphan.path, testFolder: temp.url.appendingPathComponent("orphan/test").path)) {
            try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("orphan"))
        }

        let first = try temp.write(Folder.scanText(points: 2), to: "twice/test/a.pcd")
        let second = try temp.write(Folder.scanText(points: 2), to: "twice/test/a.txt")
        #expect(throws: DatasetError.duplicateStem(first: first.path, second: second.path)) {
            try DatasetCategory(discoveringAt: temp.url.appendingPathComponent("twice"))
        }

        let plain = try temp.folder("plain")
        try temp.write("x", to: "plain/sub/file.md")
        #expect(throws: DatasetError.noCategories(path: plain.path)) {
            try DatasetLayout(discoveringAt: plain)
        }
    }

    @Test func errorMessagesNameThePath() {
        let error = DatasetError.missingTestFolder(category: "/data/duck")
        #expect(error.localizedDescription.contains("/data/duck"))
        #expect(error.localizedDescription.contains("test/"))
    }
}
