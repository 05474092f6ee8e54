import AD3DPointCloud
import AD3DSupport
import Foundation

/// Where a category's part comes from: a built-in procedural part or a mesh file.
public enum SynthesisSource: Sendable, Equatable {
    /// A built-in part (proportions drawn from the category's seed).
    case part(ProceduralPart)
    /// An OFF, OBJ or STL mesh file.
    case mesh(URL)

    /// Reads a command-line input: a built-in part name (unless a file of that name exists) or a
    /// path to an OFF, OBJ or STL mesh. PLY is refused: ad3d reads PLY as points, not faces.
    public init(argument: String) throws(SynthesisError) {
        let url = URL(fileURLWithPath: argument)
        let exists = FileManager.default.fileExists(atPath: url.path)
        if !exists, let part = ProceduralPart(rawValue: argument.lowercased()) {
            self = .part(part)
        } else if url.pathExtension.lowercased() == "ply" {
            throw SynthesisError.plyIsNotAMesh(path: argument)
        } else if let format = PointCloudFormat(url: url), format.isMesh {
            self = .mesh(url)
        } else {
            throw SynthesisError.unknownInput(name: argument, parts: ProceduralPart.allCases.map(\.rawValue))
        }
    }

    /// The category folder name: the part name or the mesh file's name without extension.
    public var categoryName: String {
        switch self {
        case .part(let part): return part.rawValue
        case .mesh(let url): return url.deletingPathExtension().lastPathComponent
        }
    }

    /// The part name or the mesh path, as recorded in the manifest.
    public var description: String {
        switch self {
        case .part(let part): return part.rawValue
        case .mesh(let url): return url.path
        }
    }

    /// The mesh: the part with proportions drawn from `generator`, or the file's faces.
    public func mesh(using generator: inout SeededGenerator) throws -> TriangleMesh {
        switch self {
        case .part(let part): return part.mesh(using: &generator)
        case .mesh(let url): return try PointCloudReader.readMesh(url)
        }
    }
}

/// Writes synthesized categories under a root folder.
public enum BenchmarkSynthesizer {
    /// Synthesizes one category per source under `root` (Real3D-AD layout plus `manifest.json`),
    /// calling `progress` after each written scan. Existing non-empty category folders are an
    /// error unless `overwrite` is set, which replaces them.
    public static func run(
        sources: [SynthesisSource], root: URL, settings: SynthesisSettings, overwrite: Bool,
        progress: () -> Void = {}
    ) throws -> [CategoryManifest] {
        try settings.validate()
        var names = Set<String>()
        for source in sources where !names.insert(source.categoryName).inserted {
            throw SynthesisError.duplicateCategory(name: source.categoryName)
        }
        let synthesizers = try sources.map { try CategorySynthesizer(source: $0, settings: settings) }
        for synthesizer in synthesizers {
            try prepare(root.appendingPathComponent(synthesizer.name, isDirectory: true), overwrite: overwrite)
        }
        return try synthesizers.map { try $0.write(to: root, progress: progress) }
    }

    /// Makes sure the category folder can be written: absent, empty, or replaced when `overwrite`.
    private static func prepare(_ folder: URL, overwrite: Bool) throws {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path), !entries.isEmpty else { return }
        guard overwrite else { throw SynthesisError.categoryExists(path: folder.path) }
        try manager.removeItem(at: folder)
    }
}

/// JSON as written by `ad3d synth`: snake_case keys, sorted, optionally pretty.
public enum SynthesisJSON {
    /// Encodes `value`.
    public static func encode(_ value: some Encodable, pretty: Bool) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty
            ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
