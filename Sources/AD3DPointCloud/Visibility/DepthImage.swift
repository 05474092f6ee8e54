/// A z-buffer over a rectangle of gnomonic image coordinates: each pixel keeps the nearest depth
/// of the splats drawn over its centre.
///
/// A splat is a disk in the image whose depth follows a plane (the point's tangent plane,
/// linearised) on its far side and stays at the centre's depth on its near side: depth at image
/// offset `δ` (pixels) is `max(depth, depth + gradient·δ)`. Extending tangent planes towards the
/// sensor would let a face hide the neighbouring face beyond a convex edge.
struct DepthImage {
    /// View coordinates of the image's lower-left corner.
    let origin: SIMD2<Float>
    /// Side of one pixel in view coordinates.
    let pixelSize: Float
    /// Pixels per row.
    let width: Int
    /// Rows.
    let height: Int
    /// Nearest depth per pixel, row-major; `+∞` where nothing was drawn.
    private(set) var depths: [Float]

    /// An empty image covering view coordinates `low...high` with square pixels of side `pixelSize`,
    /// plus `margin` pixels on each side.
    init(low: SIMD2<Float>, high: SIMD2<Float>, pixelSize: Float, margin: Int) {
        self.pixelSize = pixelSize
        origin = low - Float(margin) * pixelSize
        width = Int(((high.x - low.x) / pixelSize).rounded(.up)) + 2 * margin + 1
        height = Int(((high.y - low.y) / pixelSize).rounded(.up)) + 2 * margin + 1
        depths = [Float](repeating: .infinity, count: width * height)
    }

    /// Continuous pixel coordinates of view coordinates `view` (pixel centres at `k + 0.5`).
    func pixelCoordinates(_ view: SIMD2<Float>) -> SIMD2<Float> {
        (view - origin) / pixelSize
    }

    /// Draws a splat centred at pixel coordinates `center` with radius `radius` (pixels).
    mutating func splat(center: SIMD2<Float>, radius: Float, depth: Float, gradient: SIMD2<Float>) {
        let x0 = max(0, Int((center.x - radius).rounded(.down))), x1 = min(width - 1, Int((center.x + radius).rounded(.down)))
        let y0 = max(0, Int((center.y - radius).rounded(.down))), y1 = min(height - 1, Int((center.y + radius).rounded(.down)))
        guard x0 <= x1, y0 <= y1 else { return }
        let radiusSquared = radius * radius
        let width = width
        depths.withUnsafeMutableBufferPointer { depths in
            for y in y0...y1 {
                let dy = Float(y) + 0.5 - center.y
                let rowDepth = depth + gradient.y * dy
                let row = y * width
                for x in x0...x1 {
                    let dx = Float(x) + 0.5 - center.x
                    guard dx * dx + dy * dy <= radiusSquared else { continue }
                    let candidate = max(depth, rowDepth + gradient.x * dx)
                    if candidate < depths[row + x] { depths[row + x] = candidate }
                }
            }
        }
    }

    /// How far behind the nearest surface of its own pixel a splat centred at `center` lies,
    /// comparing depths at the pixel's centre (0 when the splat itself is the nearest).
    func depthBehindNearest(center: SIMD2<Float>, depth: Float, gradient: SIMD2<Float>) -> Float {
        let x = min(width - 1, max(0, Int(center.x.rounded(.down))))
        let y = min(height - 1, max(0, Int(center.y.rounded(.down))))
        let offset = SIMD2(Float(x) + 0.5, Float(y) + 0.5) - center
        return max(depth, depth + (gradient * offset).sum()) - depths[y * width + x]
    }

    /// Whether nearer surface surrounds a splat: of the eight 45° sectors around its centre,
    /// at least `sectors` hold a pixel within `radius` pixels whose depth is nearer than the
    /// splat's own plane there by more than `tolerance` (a pinhole between the splats of a front surface).
    func isSurrounded(
        center: SIMD2<Float>, depth: Float, gradient: SIMD2<Float>, radius: Float, tolerance: Float, sectors: Int
    ) -> Bool {
        let x0 = max(0, Int((center.x - radius).rounded(.down))), x1 = min(width - 1, Int((center.x + radius).rounded(.down)))
        let y0 = max(0, Int((center.y - radius).rounded(.down))), y1 = min(height - 1, Int((center.y + radius).rounded(.down)))
        guard x0 <= x1, y0 <= y1 else { return false }
        let radiusSquared = radius * radius
        var occupied: UInt8 = 0
        for y in y0...y1 {
            let dy = Float(y) + 0.5 - center.y
            for x in x0...x1 {
                let dx = Float(x) + 0.5 - center.x
                let distanceSquared = dx * dx + dy * dy
                guard distanceSquared <= radiusSquared, distanceSquared > 0.5 else { continue }
                guard depths[y * width + x] < depth + gradient.x * dx + gradient.y * dy - tolerance else { continue }
                let octant = (dx > 0 ? 4 : 0) | (dy > 0 ? 2 : 0) | (abs(dx) > abs(dy) ? 1 : 0)
                occupied |= 1 << octant
            }
        }
        return occupied.nonzeroBitCount >= sectors
    }
}
