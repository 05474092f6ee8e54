/// The perspective frame of a sensor looking at a target point: view coordinates are the
/// gnomonic image coordinates `(x, y)` of a direction and its depth `z` along the viewing axis.
struct SensorFrame: Sendable {
    /// Where the sensor is.
    let sensor: SIMD3<Float>
    /// Unit viewing axis, from the sensor towards the target.
    let axis: SIMD3<Float>
    /// Unit image x-direction, perpendicular to `axis`.
    let right: SIMD3<Float>
    /// Unit image y-direction, `axis × right`.
    let up: SIMD3<Float>

    /// The frame of a sensor at `sensor` looking at `target` (which must differ from it).
    init(sensor: SIMD3<Float>, target: SIMD3<Float>) {
        let forward = target - sensor
        axis = forward / (forward * forward).sum().squareRoot()
        (right, up) = Self.perpendicularBasis(of: axis)
        self.sensor = sensor
    }

    /// Two unit vectors `(right, up)` that, with the unit vector `axis`, form a right-handed
    /// orthonormal basis: `right` is perpendicular to `axis` and `up = axis × right`.
    static func perpendicularBasis(of axis: SIMD3<Float>) -> (right: SIMD3<Float>, up: SIMD3<Float>) {
        let helper: SIMD3<Float> = abs(axis.x) < 0.9 ? [1, 0, 0] : [0, 1, 0]
        let side = cross(helper, axis)
        let right = side / (side * side).sum().squareRoot()
        return (right, cross(axis, right))
    }

    /// `v` in frame coordinates `(v·right, v·up, v·axis)`.
    func local(_ v: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3((v * right).sum(), (v * up).sum(), (v * axis).sum())
    }

    /// The cross product `a × b`.
    static func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}
