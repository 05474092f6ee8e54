/// Maps 3D points to pixel positions and depths of an image looking along a `ViewDirection`.
public struct OrthographicProjection: Sendable, Equatable {
    /// The direction looked from.
    public var view: ViewDirection
    /// The 3D point drawn at the image's centre.
    public var center: SIMD3<Float>
    /// Pixels per unit of length.
    public var pixelsPerUnit: Float
    /// Image width in pixels.
    public var width: Int
    /// Image height in pixels.
    public var height: Int

    /// A projection drawing `center` at the image's centre, `pixelsPerUnit` pixels per unit.
    public init(view: ViewDirection, center: SIMD3<Float>, pixelsPerUnit: Float, width: Int, height: Int) {
        self.view = view
        self.center = center
        self.pixelsPerUnit = pixelsPerUnit
        self.width = width
        self.height = height
    }

    /// The projection that fits `points` (non-empty) into a `width` × `height` image, leaving
    /// `margin` pixels on every side.
    public static func fitting(
        _ points: [SIMD3<Float>], view: ViewDirection, width: Int, height: Int, margin: Int = 6
    ) -> OrthographicProjection {
        precondition(!points.isEmpty, "there is something to fit")
        var low = SIMD2<Float>(repeating: .infinity), high = -low
        for point in points {
            let screen = SIMD2((point * view.right).sum(), (point * view.up).sum())
            low = pointwiseMin(low, screen)
            high = pointwiseMax(high, screen)
        }
        let middle = (low + high) / 2, extent = high - low
        // One pixel less than the space between the margins, so the extremes land half a pixel inside it.
        let room = SIMD2(Float(max(width - 2 * margin - 1, 1)), Float(max(height - 2 * margin - 1, 1)))
        let scale = min(room.x / max(extent.x, .leastNormalMagnitude), room.y / max(extent.y, .leastNormalMagnitude))
        return OrthographicProjection(
            view: view, center: view.right * middle.x + view.up * middle.y, pixelsPerUnit: scale,
            width: width, height: height)
    }

    /// The pixel column and row holding `point` (possibly outside the image) and its depth
    /// (larger is nearer the viewer).
    public func project(_ point: SIMD3<Float>) -> (x: Int, y: Int, depth: Float) {
        let offset = point - center
        let x = Float(width) / 2 + (offset * view.right).sum() * pixelsPerUnit
        let y = Float(height) / 2 - (offset * view.up).sum() * pixelsPerUnit
        // Clamped so that a point far outside the image cannot overflow `Int`.
        let limit = Float(1 << 24)
        return (
            Int(min(max(x, -limit), limit).rounded(.down)), Int(min(max(y, -limit), limit).rounded(.down)),
            (offset * view.towardsViewer).sum()
        )
    }
}
