import Foundation

/// A failure to read a safetensors file. Every case names the file.
public enum SafeTensorsError: Error, LocalizedError, Equatable {
    /// The file could not be opened or read.
    case cannotRead(path: String, reason: String)
    /// The file is too short to hold the 8-byte header length.
    case missingHeaderLength(path: String, fileSize: Int)
    /// The header length field points past the end of the file (or beyond the format's limit).
    case headerLengthOutOfRange(path: String, headerLength: UInt64, available: Int)
    /// The header is not the JSON object the format requires.
    case invalidHeader(path: String, problem: String)
    /// A tensor uses a data type this reader does not convert to `Float`.
    case unsupportedDataType(path: String, tensor: String, dtype: String)
    /// A tensor's `data_offsets` are reversed, overlap another tensor, or disagree with its shape and type.
    case invalidOffsets(path: String, tensor: String, problem: String)
    /// A tensor's data extends past the end of the file.
    case truncatedData(path: String, tensor: String, end: Int, available: Int)

    public var errorDescription: String? {
        switch self {
        case .cannotRead(let path, let reason):
            return "\(path): cannot read: \(reason)"
        case .missingHeaderLength(let path, let fileSize):
            return "\(path): not a safetensors file (\(fileSize) bytes, shorter than the 8-byte header length)"
        case .headerLengthOutOfRange(let path, let headerLength, let available):
            return "\(path): not a safetensors file: header length \(headerLength) exceeds the \(available) bytes available"
        case .invalidHeader(let path, let problem):
            return "\(path): invalid safetensors header: \(problem)"
        case .unsupportedDataType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)' has data type \(dtype); only F32, F16, BF16 and F64 are supported"
        case .invalidOffsets(let path, let tensor, let problem):
            return "\(path): tensor '\(tensor)': invalid data_offsets: \(problem)"
        case .truncatedData(let path, let tensor, let end, let available):
            return "\(path): truncated: tensor '\(tensor)' ends at byte \(end) of the data section, which has only \(available) bytes"
        }
    }
}
