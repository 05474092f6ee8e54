import AD3DKit

/// libFuzzer entry point: the first byte picks a method of `DetectorRegistry.methods`, the rest is
/// its configuration JSON (with no tensors); thrown errors are the correct outcome for bad input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let methods = DetectorRegistry.methods
    let method = methods[Int(data[0]) % methods.count].methodName
    let text = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let checkpoint = ModelCheckpoint(method: method, configuration: text, tensors: [:])
    _ = try? DetectorRegistry.detector(from: checkpoint, path: "/fuzz/model.safetensors")
    return 0
}
