/// A binary numeric type as named by PCD (`TYPE`/`SIZE`), PLY (`property`) and NPY (`descr`).
enum ScalarType: Sendable, Equatable {
    case int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64

    /// Bytes per value.
    var size: Int {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .int64, .uint64, .float64: return 8
        }
    }

    /// Whether this is an integer type (usable as a PLY list count).
    var isInteger: Bool { self != .float32 && self != .float64 }

    /// The PCD type for `TYPE` letter `F`/`I`/`U` and byte `size`, if valid.
    init?(pcdType: Substring, size: Int) {
        switch (pcdType.uppercased(), size) {
        case ("F", 4): self = .float32
        case ("F", 8): self = .float64
        case ("I", 1): self = .int8
        case ("I", 2): self = .int16
        case ("I", 4): self = .int32
        case ("I", 8): self = .int64
        case ("U", 1): self = .uint8
        case ("U", 2): self = .uint16
        case ("U", 4): self = .uint32
        case ("U", 8): self = .uint64
        default: return nil
        }
    }

    /// The PLY type for a `property` type name (old and sized spellings), if known.
    init?(plyName: Substring) {
        switch plyName {
        case "char", "int8": self = .int8
        case "uchar", "uint8": self = .uint8
        case "short", "int16": self = .int16
        case "ushort", "uint16": self = .uint16
        case "int", "int32": self = .int32
        case "uint", "uint32": self = .uint32
        case "float", "float32": self = .float32
        case "double", "float64": self = .float64
        default: return nil
        }
    }

    /// The value at byte `offset` of `base` (unaligned), converted to `Double`.
    @inline(__always)
    func load(_ base: UnsafeRawPointer, at offset: Int, bigEndian: Bool) -> Double {
        @inline(__always) func raw<T: FixedWidthInteger>(_: T.Type) -> T {
            let value = base.loadUnaligned(fromByteOffset: offset, as: T.self)
            return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
        }
        switch self {
        case .int8: return Double(raw(Int8.self))
        case .uint8: return Double(raw(UInt8.self))
        case .int16: return Double(raw(Int16.self))
        case .uint16: return Double(raw(UInt16.self))
        case .int32: return Double(raw(Int32.self))
        case .uint32: return Double(raw(UInt32.self))
        case .int64: return Double(raw(Int64.self))
        case .uint64: return Double(raw(UInt64.self))
        case .float32: return Double(Float(bitPattern: raw(UInt32.self)))
        case .float64: return Double(bitPattern: raw(UInt64.self))
        }
    }
}

/// Reads `points` x/y/z triples from strided binary data: coordinate `axis` of point `i` is a
/// `types[axis]` value at byte `starts[axis] + i * strides[axis]`. Callers check the bounds.
func gatherCoordinates(
    _ data: UnsafeRawPointer, points: Int, types: [ScalarType], starts: [Int], strides: [Int], bigEndian: Bool
) -> [Float] {
    var coordinates = [Float](repeating: 0, count: 3 * points)
    coordinates.withUnsafeMutableBufferPointer { out in
        for axis in 0..<3 {
            let type = types[axis], stride = strides[axis]
            var offset = starts[axis]
            for i in 0..<points {
                out[3 * i + axis] = Float(type.load(data, at: offset, bigEndian: bigEndian))
                offset += stride
            }
        }
    }
    return coordinates
}
