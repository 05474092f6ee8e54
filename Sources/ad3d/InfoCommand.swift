import AD3DKit
import ArgumentParser
import Foundation

/// `ad3d info`: format, point count, fields and bounding box of scan files.
struct InfoCommand: AD3DSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show the format, points, fields and bounding box of scan files.",
        discussion: """
            Reads each file with the same readers training and inference use, so a file that \
            `info` accepts is a file ad3d can score. Meshes (OFF, OBJ, STL) are sampled to \
            --mesh-points points first. Exits non-zero if any file cannot be read; the other \
            files are still shown. With --json, one object per line with the keys path, \
            format, encoding, points, fields, bbox_min and bbox_max.
            """
    )

    @Argument(help: "Scan files (PCD, PLY, XYZ/TXT/CSV, NPY, OFF, OBJ, STL).")
    var files: [String]

    @OptionGroup var scanOptions: ScanOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var logging: LoggingOptions

    func execute() throws {
        var failures = 0
        for path in files {
            do {
                let scan = try PointCloudReader.read(URL(fileURLWithPath: path), meshSampleCount: scanOptions.meshPoints)
                let summary = ScanSummary(path: path, scan: scan)
                print(output.json ? try TextFormatting.json(summary) : summary.text)
            } catch {
                failures += 1
                printError(error)
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}

/// What `info` reports about one file.
private struct ScanSummary: Encodable {
    let path: String
    let format: String
    let encoding: String
    let points: Int
    let fields: [String]
    let bboxMin: [Float]
    let bboxMax: [Float]

    init(path: String, scan: ScanFile) {
        self.path = path
        format = scan.format.rawValue
        encoding = scan.encoding
        points = scan.cloud.count
        fields = scan.fields
        let box = scan.cloud.boundingBox
        bboxMin = box.map { [$0.min.x, $0.min.y, $0.min.z] } ?? []
        bboxMax = box.map { [$0.max.x, $0.max.y, $0.max.z] } ?? []
    }

    enum CodingKeys: String, CodingKey {
        case path, format, encoding, points, fields
        case bboxMin = "bbox_min", bboxMax = "bbox_max"
    }

    var text: String {
        let size = zip(bboxMax, bboxMin).map { $0 - $1 }
        return """
            \(path)
              format  \(format) (\(encoding))
              points  \(points)
              fields  \(fields.joined(separator: " "))
              bbox    min \(formatted(bboxMin))  max \(formatted(bboxMax))  size \(formatted(size))
            """
    }

    private func formatted(_ v: [Float]) -> String {
        "(" + v.map { String(format: "%.4g", $0) }.joined(separator: ", ") + ")"
    }
}
