/// Whether a sensor sees one point of a cloud.
public enum PointVisibility: Sendable, Equatable, Hashable {
    /// The sensor sees the point: nothing lies in front of it and its surface faces the sensor.
    case visible
    /// The point is occluded by other surface (or lies on surface facing away from the sensor).
    case hidden
    /// Too close to call: a grazing view, a silhouette or an occlusion boundary.
    case unknown
}
