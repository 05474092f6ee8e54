/// A direction a scan is looked at from, with the screen axes of an orthographic view along it.
public struct ViewDirection: Sendable, Equatable {
    /// A short name shown under the render.
    public var name: String
    /// Unit vector from the part towards the viewer.
    public let towardsViewer: SIMD3<Float>
    /// Unit vector along the image's rows, left to right.
    public let right: SIMD3<Float>
    /// Unit vector along the image's columns, bottom to top.
    public let up: SIMD3<Float>

    /// The view from `towardsViewer` (any length) with `upHint` (not parallel to it) pointing up
    /// on the screen as far as it can.
    public init(name: String, towardsViewer: SIMD3<Float>, upHint: SIMD3<Float> = SIMD3(0, 0, 1)) {
        let back = Self.normalized(towardsViewer)
        self.name = name
        self.towardsViewer = back
        right = Self.normalized(Self.cross(upHint, back))
        up = Self.cross(back, right)
    }

    /// Three isometric views from opposite corners, together seeing every side of a part:
    /// from +x −y +z, from −x +y +z and from −x −y −z (below).
    public static let report: [ViewDirection] = [
        ViewDirection(name: "front right", towardsViewer: SIMD3(1, -1, 1)),
        ViewDirection(name: "back left", towardsViewer: SIMD3(-1, 1, 1)),
        ViewDirection(name: "below", towardsViewer: SIMD3(-1, -1, -1)),
    ]

    private static func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    private static func normalized(_ v: SIMD3<Float>) -> SIMD3<Float> {
        let length = (v * v).sum().squareRoot()
        precondition(length > 0, "a view direction is not zero")
        return v / length
    }
}
