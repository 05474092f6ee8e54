/// An 8-bit RGB image, rows top to bottom, for the report's renders.
public struct RasterImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Red, green and blue of every pixel, row after row from the top: `3 · width · height` bytes.
    public private(set) var bytes: [UInt8]

    /// A `width` × `height` image filled with `background`.
    public init(width: Int, height: Int, background: SIMD3<UInt8> = SIMD3(255, 255, 255)) {
        precondition(width > 0 && height > 0, "an image has at least one pixel")
        self.width = width
        self.height = height
        bytes = [UInt8](repeating: 0, count: 3 * width * height)
        for pixel in 0..<(width * height) { self[pixel] = background }
    }

    /// The colour of pixel `index` (`y · width + x`).
    public subscript(index: Int) -> SIMD3<UInt8> {
        get { SIMD3(bytes[3 * index], bytes[3 * index + 1], bytes[3 * index + 2]) }
        set {
            bytes[3 * index] = newValue.x
            bytes[3 * index + 1] = newValue.y
            bytes[3 * index + 2] = newValue.z
        }
    }

    /// The colour at column `x`, row `y` (row 0 at the top).
    public subscript(x: Int, y: Int) -> SIMD3<UInt8> {
        get { self[y * width + x] }
        set { self[y * width + x] = newValue }
    }
}
