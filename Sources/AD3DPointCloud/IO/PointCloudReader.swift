import AD3DSupport
import Foundation

/// A file format that `PointCloudReader` can read, detected from the file extension.
public enum PointCloudFormat: String, Sendable, CaseIterable {
    case pcd, ply, xyz, npy, off, obj, stl

    /// The format for a file's extension (case-insensitive; `.xyz`, `.txt` and `.csv` are `xyz`).
    public init?(url: URL) {
        switch url.pathExtension.lowercased() {
        case "pcd": self = .pcd
        case "ply": self = .ply
        case "xyz", "txt", "csv": self = .xyz
        case "npy": self = .npy
        case "off": self = .off
        case "obj": self = .obj
        case "stl": self = .stl
        default: return nil
        }
    }

    /// Whether files of this format are surface meshes (sampled into points when read).
    public var isMesh: Bool { self == .off || self == .obj || self == .stl }
}

/// A scan read from disk: the points plus what the file said about itself.
public struct ScanFile: Sendable {
    /// The file that was read.
    public var url: URL
    /// Its format.
    public var format: PointCloudFormat
    /// The data encoding as the file names it (`ascii`, `binary`, `binary_compressed`,
    /// `binary_little_endian`, …; for NPY the dtype, e.g. `<f4`).
    public var encoding: String
    /// Field names as in the file (`["x", "y", "z", "rgb"]`); for meshes
    /// `["vertices: N", "triangles: M"]`.
    public var fields: [String]
    /// The points (for meshes: points sampled on the surface).
    public var cloud: PointCloud

    /// A scan with the given properties.
    public init(url: URL, format: PointCloudFormat, encoding: String, fields: [String], cloud: PointCloud) {
        self.url = url
        self.format = format
        self.encoding = encoding
        self.fields = fields
        self.cloud = cloud
    }
}

/// Reads point clouds from PCD, PLY, XYZ/TXT/CSV and NPY files, and samples points from
/// OFF, OBJ and STL meshes. Malformed input raises a `PointCloudIOError` naming the file.
public enum PointCloudReader {
    /// Reads any supported file; meshes are sampled to `meshSampleCount` points, area-weighted, seeded.
    public static func read(_ url: URL, meshSampleCount: Int = 16_384, seed: UInt64 = 0) throws -> ScanFile {
        // A folder, pipe or device is named as such before its (missing) extension is.
        if let problem = ReadableFile.problem(at: url) { throw PointCloudIOError.cannotRead(path: url.path, reason: problem) }
        let format = try format(of: url)
        return try read(SourceFile(url: url), format: format, meshSampleCount: meshSampleCount, seed: seed)
    }

    /// Reads file content already in memory, as if read from `url` (whose extension picks the format).
    public static func read(contents: [UInt8], url: URL, meshSampleCount: Int = 16_384, seed: UInt64 = 0) throws -> ScanFile {
        let format = try format(of: url)
        return try read(SourceFile(url: url, contents: contents), format: format, meshSampleCount: meshSampleCount, seed: seed)
    }

    /// Reads an OFF, OBJ or STL file as a triangle mesh (polygons fan-triangulated).
    public static func readMesh(_ url: URL) throws -> TriangleMesh {
        let format = try meshFormat(of: url)
        return try readMesh(SourceFile(url: url), format: format).mesh
    }

    /// Reads OFF, OBJ or STL content already in memory as a triangle mesh, as if read from `url`.
    public static func readMesh(contents: [UInt8], url: URL) throws -> TriangleMesh {
        let format = try meshFormat(of: url)
        return try readMesh(SourceFile(url: url, contents: contents), format: format).mesh
    }

    /// Whether `url` has the extension of a supported format.
    public static func isSupported(_ url: URL) -> Bool { PointCloudFormat(url: url) != nil }

    private static func format(of url: URL) throws -> PointCloudFormat {
        guard let format = PointCloudFormat(url: url) else {
            throw PointCloudIOError.unsupportedFormat(path: url.path, fileExtension: url.pathExtension)
        }
        return format
    }

    private static func meshFormat(of url: URL) throws -> PointCloudFormat {
        guard let format = PointCloudFormat(url: url), format.isMesh else {
            throw PointCloudIOError.unsupportedFormat(path: url.path, fileExtension: url.pathExtension)
        }
        return format
    }

    private static func read(_ file: SourceFile, format: PointCloudFormat, meshSampleCount: Int, seed: UInt64) throws
        -> ScanFile
    {
        precondition(meshSampleCount > 0, "meshSampleCount must be positive")
        switch format {
        case .pcd: return try PCDFormat.read(file)
        case .ply: return try PLYFormat.read(file)
        case .xyz: return try XYZFormat.read(file)
        case .npy: return try NPYFile.readScan(file)
        case .off, .obj, .stl:
            let (mesh, encoding) = try readMesh(file, format: format)
            return ScanFile(
                url: file.url, format: format, encoding: encoding,
                fields: ["vertices: \(mesh.vertices.count)", "triangles: \(mesh.triangles.count)"],
                cloud: mesh.sampleSurface(count: meshSampleCount, seed: seed))
        }
    }

    private static func readMesh(_ file: SourceFile, format: PointCloudFormat) throws
        -> (mesh: TriangleMesh, encoding: String)
    {
        let (mesh, encoding): (TriangleMesh, String)
        switch format {
        case .off: (mesh, encoding) = (try OFFFormat.read(file), "ascii")
        case .obj: (mesh, encoding) = (try OBJFormat.read(file), "ascii")
        default: (mesh, encoding) = try STLFormat.read(file)
        }
        try mesh.validate(path: file.path)
        return (mesh, encoding)
    }
}
