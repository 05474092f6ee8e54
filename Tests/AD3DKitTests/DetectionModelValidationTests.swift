import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud
@testable import AD3DModels
@testable import AD3DDetection

/// Every field of a model's configuration is checked on load: a corrupt value is a one-line error
/// naming the model file and the field, never wrong scores.
@Suite struct DetectionModelValidationTests {
    private let path = "/models/part.safetensors"

    /// The configuration JSON of a valid model, as a mutable JSON object.
    private func validConfiguration() throws -> [String: Any] {
        var encoder = PointMAEConfiguration.tiny
        encoder.groupCount = 16
        encoder.groupSize = 8
        let configuration = SCAConfiguration(
            encoder: encoder, encoderSource: "random", frame: ScanFrame(mode: .centroid, scale: 2),
            encodedPoints: 256, augmentation: TrainingAugmentation(pose: .aligned), augmentationsPerScan: 2,
            head: DetectorHeadConfiguration(), readout: .none, surfaceDeviation: true,
            surfaceStatistics: ScoreStatistics(mean: 0.01, standardDeviation: 0.002))
        try configuration.validate()
        let text = try TextFormatting.json(configuration)
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// The load error of the valid configuration with `value` at the dotted `field`.
    private func loadError(setting field: String, to value: Any) throws -> String {
        var root = try validConfiguration()
        func set(_ object: inout [String: Any], _ keys: ArraySlice<Substring>) {
            let key = String(keys.first!)
            if keys.count == 1 { object[key] = value; return }
            var child = object[key] as! [String: Any]
            set(&child, keys.dropFirst())
            object[key] = child
        }
        set(&root, ArraySlice(field.split(separator: ".")))
        let text = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
        let checkpoint = ModelCheckpoint(method: SCADetector.methodName, configuration: text, tensors: [:])
        let error = #expect(throws: ModelFileError.self) { try DetectorRegistry.detector(from: checkpoint, path: path) }
        return error?.localizedDescription ?? ""
    }

    @Test(arguments: [
        ("surfaceStatistics.standardDeviation", 0.0), ("surfaceStatistics.standardDeviation", -1.0),
        ("statistics.standardDeviation", 0.0), ("memoryStatistics.mean", 1e38),
        ("frame.scale", -1.0), ("frame.scale", 1e38), ("frame.scale", 0.0),
        ("memoryRatio", -1.0), ("memoryRatio", 0.0),
        ("interpolation.neighbors", 0), ("interpolation.neighbors", -3), ("interpolation.neighbors", 1e12),
        ("encodedPoints", 0), ("encoder.groupCount", 1e12), ("augmentationsPerScan", -1),
        ("augmentation.jitter", -0.5), ("trainingArea", -2.0), ("memoryPositionWeight", -1.0),
    ] as [(String, Double)])
    func outOfRangeFieldsAreRefusedByName(field: String, value: Double) throws {
        let message = try loadError(setting: field, to: value == value.rounded() && abs(value) < 1e15 ? Int(value) as Any : value)
        #expect(message.hasPrefix(path + ": "), "\(message)")
        #expect(message.contains("'\(field)'"), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func aValidConfigurationPassesItsChecksAndFailsOnlyOnMissingTensors() throws {
        let text = String(decoding: try JSONSerialization.data(withJSONObject: try validConfiguration()), as: UTF8.self)
        let checkpoint = ModelCheckpoint(method: SCADetector.methodName, configuration: text, tensors: [:])
        let error = #expect(throws: ModelFileError.self) { try DetectorRegistry.detector(from: checkpoint, path: path) }
        #expect(error?.localizedDescription.contains("surface deviation needs") == true)
    }

    @Test func tensorsWithNaNAreRefusedOnLoad() throws {
        let file = SafeTensorsFile(
            tensors: ["surface.points": Tensor(shape: [1, 3], storage: [0, .nan, 0])],
            metadata: ["format": "ad3d-model", "format_version": "1", "method": "sca", "configuration": "{}"])
        let error = #expect(throws: ModelFileError.self) { try ModelFile.checkpoint(of: file, path: path) }
        #expect(error == .invalidContent(path: path, reason: "tensor 'surface.points' holds NaN or infinite values"))
    }

    @Test func scansTooSmallToScoreAreNamedInTheError() throws {
        let detector = try SCADetector(checkpoint: ModelCheckpoint(
            method: "sca", configuration: String(decoding: try JSONSerialization.data(withJSONObject: try validConfiguration()), as: UTF8.self),
            tensors: [
                "surface.points": Tensor(shape: [4, 3], storage: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]),
                "surface.normals": Tensor(shape: [4, 3], storage: [0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0]),
            ]))
        let scan = URL(fileURLWithPath: "/scans/tiny.pcd")
        let error = #expect(throws: ScanScoringError.self) {
            try detector.score(PointCloud(coordinates: [0, 0, 0, 1, 1, 1]), readFrom: scan)
        }
        #expect(error?.localizedDescription.hasPrefix("/scans/tiny.pcd: cannot score this scan: ") == true)
    }

    /// The checkpoint of the valid configuration with surface template `points` (normals along z).
    private func checkpoint(surface points: [Float]) throws -> ModelCheckpoint {
        let count = points.count / 3
        return ModelCheckpoint(
            method: "sca", configuration: String(decoding: try JSONSerialization.data(withJSONObject: try validConfiguration()), as: UTF8.self),
            tensors: [
                "surface.points": Tensor(shape: [count, 3], storage: points),
                "surface.normals": Tensor(shape: [count, 3], storage: (0..<count).flatMap { _ in [Float(0), 0, 1] }),
            ])
    }

    /// Found by fuzzing: template coordinates beyond the range scans are read in are refused by name.
    @Test func templatePointsBeyondTheCoordinateRangeAreRefused() throws {
        let error = #expect(throws: ModelFileError.self) {
            try DetectorRegistry.detector(from: try checkpoint(surface: [0, 0, 0, 8e19, 0, 0, 0, 1, 0, 0, 0, 1]), path: path)
        }
        #expect(error?.localizedDescription.contains("'surface.points': point 1 has the coordinate 8e+19") == true, "\(error?.localizedDescription ?? "")")
    }

    /// Found by fuzzing: a template whose extent is so small that its diagonal underflows to 0 asked
    /// the view catalogue's occupancy grid for cells of the smallest float (3·10¹⁴ bytes). Such a
    /// template is refused, and the grid widens its cells to stay within `maximumCellsPerAxis`.
    @Test func aTemplateOfVanishingExtentIsRefusedAndItsGridBounded() throws {
        let tiny: [Float] = [0, 0, 0, 8e-34, 0, 0, 0, 8e-34, 0, 0, 0, 8e-34, 4e-34, 4e-34, 4e-34]
        #expect(PointCloud(coordinates: tiny).diagonal == 0)
        let error = #expect(throws: ModelFileError.self) {
            try DetectorRegistry.detector(from: try checkpoint(surface: tiny), path: path)
        }
        #expect(error?.localizedDescription.contains("'surface.points': the points span only 0.0") == true, "\(error?.localizedDescription ?? "")")
        let grid = OccupancyGrid(points: PointCloud(coordinates: tiny), cell: .leastNormalMagnitude, reach: 1.5 * .leastNormalMagnitude)
        #expect(grid.size.x <= Int(OccupancyGrid.maximumCellsPerAxis) && grid.size.y <= Int(OccupancyGrid.maximumCellsPerAxis))
        #expect(grid.contains(SIMD3(4e-34, 4e-34, 4e-34)))
    }

    /// Scans too small to measure are refused by name when scored (training refuses them the same way).
    @Test func scansOfVanishingExtentAreRefusedByName() throws {
        let detector = try DetectorRegistry.detector(from: try checkpoint(surface: [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]), path: path)
        let scan = URL(fileURLWithPath: "/scans/tiny.xyz")
        let error = #expect(throws: ScanExtentError.self) {
            try detector.score(PointCloud(coordinates: [0, 0, 0, 1e-30, 0, 0, 0, 1e-30, 0, 0, 0, 1e-30]), readFrom: scan)
        }
        #expect(error?.localizedDescription.hasPrefix("/scans/tiny.xyz: the points span only ") == true)
    }
}
