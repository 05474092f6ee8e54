import AD3DSupport
import Foundation

/// An output format for `PointCloudWriter`.
public enum PointCloudWriteFormat: String, Sendable, CaseIterable {
    case pcdASCII = "pcd-ascii", pcdBinary = "pcd-binary", ply, npy, txt

    /// The usual file extension for this format.
    public var fileExtension: String {
        switch self {
        case .pcdASCII, .pcdBinary: return "pcd"
        case .ply: return "ply"
        case .npy: return "npy"
        case .txt: return "txt"
        }
    }
}

/// Writes point clouds to PCD (ascii/binary), binary PLY, NPY and TXT files.
public enum PointCloudWriter {
    /// Always via AtomicFileWriter (temp file + rename). PLY is binary_little_endian with optional
    /// per-vertex `scalar` and `quality` float properties (both the scalar) and optional uchar
    /// red/green/blue; the other formats
    /// store x/y/z only (TXT adds the label column when the cloud has labels).
    public static func write(
        _ cloud: PointCloud, to url: URL, format: PointCloudWriteFormat, scalars: [Float]? = nil,
        colors: [SIMD3<UInt8>]? = nil
    ) throws {
        let bytes: [UInt8]
        switch format {
        case .pcdASCII: bytes = PCDFormat.encode(cloud, binary: false)
        case .pcdBinary: bytes = PCDFormat.encode(cloud, binary: true)
        case .ply: bytes = PLYFormat.encode(cloud, scalars: scalars, colors: colors)
        case .npy: bytes = NPYFile.encode(cloud.tensor)
        case .txt: bytes = XYZFormat.encode(cloud)
        }
        try AtomicFileWriter.write(Data(bytes), to: url)
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 bytes of `text`.
    mutating func appendASCII(_ text: String) { append(contentsOf: text.utf8) }

    /// Appends the little-endian IEEE bytes of `value`.
    mutating func appendLittleEndian(_ value: Float) {
        let bits = value.bitPattern.littleEndian
        Swift.withUnsafeBytes(of: bits) { append(contentsOf: $0) }
    }

    /// Appends rows of `columns` values as shortest round-trip decimals (exact when parsed back
    /// as `Float`), separated by spaces, with an optional integer label column.
    mutating func appendDecimalRows(_ values: [Float], columns: Int, labels: [UInt8]? = nil) {
        for row in 0..<(values.count / columns) {
            for column in 0..<columns {
                if column > 0 { append(0x20) }
                appendASCII(values[row * columns + column].description)
            }
            if let labels { appendASCII(" \(labels[row])") }
            append(0x0A)
        }
    }
}
