import AD3DKit

private let path = "/fuzz/model.safetensors"

/// libFuzzer entry point: decodes the input as a safetensors file and, when that succeeds, as an
/// ad3d model, its calibration and its detector; thrown errors are the correct outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafeTensors.decode(bytes, path: path) else { return 0 }
    _ = try? ModelFile.calibration(of: file, path: path)
    guard let checkpoint = try? ModelFile.checkpoint(of: file, path: path)
    else { return 0 }
    _ = try? DetectorRegistry.detector(from: checkpoint, path: path)
    return 0
}
