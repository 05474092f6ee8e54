import Foundation
import Testing
import AD3DKit
@testable import AD3DTensor
@testable import AD3DDetection

@Suite struct DetectionModelFileTests {
    private func temporaryFile(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("ad3d-model-\(UUID().uuidString)-\(name)")
    }

    @Test func aFolderOrAFileWhereTheOtherIsNeededIsNamedAsSuch() throws {
        let folder = temporaryFile("models")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: ModelFileError.folderInsteadOfModel(path: folder.path)) { try DetectorRegistry.load(folder) }
        let message = ModelFileError.folderInsteadOfModel(path: folder.path).localizedDescription
        #expect(message.hasPrefix(folder.path + ": is a folder; a model file"))
        let file = folder.appendingPathComponent("bracket.safetensors")
        try Data("x".utf8).write(to: file)
        #expect(throws: ModelFileError.modelInsteadOfFolder(path: file.path)) {
            try DetectorRegistry.modelURL(given: file, category: "bracket", perCategoryFolder: true)
        }
        #expect(try DetectorRegistry.modelURL(given: folder, category: "bracket", perCategoryFolder: true) == file)
        #expect(try DetectorRegistry.modelURL(given: file, category: "bracket", perCategoryFolder: false) == file)
    }

    @Test func roundTripsACheckpoint() throws {
        let url = temporaryFile("m.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let checkpoint = ModelCheckpoint(
            method: "btf", configuration: #"{"a":1}"#,
            tensors: ["bank.features": Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])])
        try ModelFile.save(checkpoint, to: url)
        #expect(try ModelFile.load(url) == checkpoint)
    }

    @Test func refusesNewerVersionsForeignFilesAndUnknownMethods() throws {
        let url = temporaryFile("m.safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = ["x": Tensor(shape: [1], storage: [0])]
        func write(_ metadata: [String: String]) throws { try SafeTensors.write(tensors, metadata: metadata, to: url) }

        try write(["format": "ad3d-model", "format_version": "2", "method": "btf", "configuration": "{}"])
        #expect(throws: ModelFileError.newerVersion(path: url.path, version: 2, supported: 1)) { try ModelFile.load(url) }
        try write(["format": "ad3d-model", "format_version": "one", "method": "btf", "configuration": "{}"])
        #expect(throws: ModelFileError.unknownVersion(path: url.path, version: "one")) { try ModelFile.load(url) }
        try write(["format": "pointmae-encoder-v1"])
        #expect(throws: ModelFileError.notAModel(path: url.path)) { try ModelFile.load(url) }
        try write(["format": "ad3d-model", "format_version": "1", "method": "magic", "configuration": "{}"])
        #expect(throws: ModelFileError.unknownMethod(path: url.path, method: "magic")) { try DetectorRegistry.load(url) }
        try write(["format": "ad3d-model", "format_version": "1", "method": "btf", "configuration": "{}"])
        #expect(throws: ModelFileError.self) { try DetectorRegistry.load(url) }
        do {
            _ = try ModelFile.load(URL(fileURLWithPath: "/nonexistent/model.safetensors"))
            Issue.record("a missing file must throw")
        } catch {
            #expect(error.localizedDescription.contains("/nonexistent/model.safetensors"))
        }
    }
}
