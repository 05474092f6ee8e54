import AD3DKit
import Foundation

/// Reads libFuzzer's input as a scan or mesh file with extension `fileExtension`; a thrown error is
/// the correct outcome for bad input, so only traps, sanitizer reports, hangs and memory blow-ups
/// count as findings. Returns 0, as `LLVMFuzzerTestOneInput` must.
public func fuzzScanReader(_ data: UnsafePointer<UInt8>, _ size: Int, fileExtension: String) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    _ = try? PointCloudReader.read(contents: bytes, url: URL(fileURLWithPath: "/fuzz/input.\(fileExtension)"), meshSampleCount: 64)
    return 0
}
