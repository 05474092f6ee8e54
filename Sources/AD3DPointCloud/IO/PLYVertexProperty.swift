import Foundation

/// One named per-vertex value of a PLY file, such as the `scalar` score property that
/// `ad3d infer --format ply` writes.
public enum PLYVertexProperty {
    /// The values of the scalar vertex property `name` of the PLY file at `url`, one per vertex
    /// in file order; a file without that property is an error naming it.
    public static func read(_ name: String, from url: URL) throws -> [Float] {
        try PLYFormat.readVertexProperty(name, of: SourceFile(url: url))
    }
}
