import AD3DSupport
import Foundation

/// A failure to read or write a point-cloud, mesh or NPY file. Every case names the file
/// (`path`) and says what is wrong with it, so the message alone tells a user what to fix.
public enum PointCloudIOError: Error, LocalizedError, Equatable {
    /// The file could not be opened or read at all.
    case cannotRead(path: String, reason: String)
    /// The file extension is not one of the supported formats.
    case unsupportedFormat(path: String, fileExtension: String)
    /// The header is missing, inconsistent, or names an unknown type, size or encoding.
    case invalidHeader(path: String, problem: String)
    /// The file ends before all the binary data its header announces.
    case truncatedData(path: String, expectedBytes: Int, availableBytes: Int)
    /// The number of records found differs from the number the header announces.
    case countMismatch(path: String, what: String, expected: Int, found: Int)
    /// A text value could not be parsed, or a line holds the wrong number of values.
    case invalidValue(path: String, line: Int, problem: String)
    /// A binary record holds an impossible value (e.g. a negative list length).
    case invalidData(path: String, problem: String)
    /// A point (or mesh vertex) has a NaN or infinite coordinate.
    case nonFiniteCoordinate(path: String, pointIndex: Int)
    /// A point (or mesh vertex) lies so far out that distances to it overflow.
    case coordinateOutOfRange(path: String, pointIndex: Int, value: Float)
    /// The file holds no points, or a mesh holds no faces.
    case noPoints(path: String)
    /// A compressed data block is corrupt.
    case corruptCompressedData(path: String, problem: String)
    /// A mesh face has too few corners or refers to a vertex that does not exist.
    case invalidFace(path: String, face: Int, problem: String)
    /// All faces of a mesh have zero area, so its surface cannot be sampled.
    case degenerateMesh(path: String)
    /// The data layout is valid for the format but not supported here (e.g. Fortran order).
    case unsupportedLayout(path: String, problem: String)

    /// A one-line message naming the file and the problem, in printable characters only.
    public var errorDescription: String? { TextFormatting.printable(message) }

    private var message: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "\(path): cannot read the file: \(reason)"
        case .unsupportedFormat(let path, let fileExtension):
            let known = "pcd, ply, xyz, txt, csv, npy, off, obj, stl"
            if fileExtension.isEmpty {
                return "\(path): the name has no extension to tell its format (supported: \(known))"
            }
            return "\(path): unsupported file type '.\(fileExtension)' (supported: \(known))"
        case .invalidHeader(let path, let problem):
            return "\(path): invalid header: \(problem)"
        case .truncatedData(let path, let expectedBytes, let availableBytes):
            return "\(path): truncated data: the header announces \(expectedBytes) bytes of data "
                + "but only \(availableBytes) follow"
        case .countMismatch(let path, let what, let expected, let found):
            return "\(path): the header announces \(expected) \(what) but the file holds \(found)"
        case .invalidValue(let path, let line, let problem):
            return "\(path):\(line): \(problem)"
        case .invalidData(let path, let problem):
            return "\(path): invalid data: \(problem)"
        case .nonFiniteCoordinate(let path, let pointIndex):
            return "\(path): point \(pointIndex) has a NaN or infinite coordinate; "
                + "remove invalid points (e.g. from organised clouds) before loading"
        case .coordinateOutOfRange(let path, let pointIndex, let value):
            return "\(path): point \(pointIndex) has the coordinate \(value), beyond ±\(maximumCoordinateMagnitude) "
                + "where distances overflow; check the file's units"
        case .noPoints(let path):
            return "\(path): the file contains no points"
        case .corruptCompressedData(let path, let problem):
            return "\(path): corrupt compressed data: \(problem)"
        case .invalidFace(let path, let face, let problem):
            return "\(path): face \(face): \(problem)"
        case .degenerateMesh(let path):
            return "\(path): every face of the mesh has zero area; nothing to sample"
        case .unsupportedLayout(let path, let problem):
            return "\(path): unsupported layout: \(problem)"
        }
    }
}
