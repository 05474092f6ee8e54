import FuzzSupport

/// libFuzzer entry point: the input read as a .off file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzScanReader(data, size, fileExtension: "off")
}
