import AD3DKit
import Foundation

private let url = URL(fileURLWithPath: "/fuzz/input.obj")

/// libFuzzer entry point: reads the input as a .obj file; thrown errors are the correct outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    _ = try? PointCloudReader.read(contents: bytes, url: url, meshSampleCount: 64)
    return 0
}
