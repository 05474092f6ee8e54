import AD3DKit

/// libFuzzer entry point: the first two bytes are the output size (little-endian), the rest is
/// the LZF stream; thrown errors are the correct outcome for corrupt streams.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let outputSize = Int(data[0]) | Int(data[1]) << 8
    let stream = [UInt8](UnsafeBufferPointer(start: data + 2, count: size - 2))
    _ = try? LZF.decompress(stream, outputSize: outputSize)
    return 0
}
