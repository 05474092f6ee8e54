/// The z-buffer's verdict on one point, before the boundary rule.
enum DepthTest: Equatable {
    /// The point is outside the sensor's field of view (or behind it).
    case outOfView
    /// The point is (`inFront`) or is not within the depth tolerance of the nearest surface under its
    /// pixel; `grazing` when the ray meets its surface at a grazing angle.
    case tested(inFront: Bool, grazing: Bool)
}

extension VisibilityPredictor {
    /// One point as the sensor images it.
    private struct Splat {
        /// Continuous pixel coordinates of the point.
        var center: SIMD2<Float>
        /// Depth along the viewing axis.
        var depth: Float
        /// Depth change per pixel of its tangent plane.
        var gradient: SIMD2<Float>
        /// Radius in pixels.
        var radius: Float
    }

    /// The z-buffer verdict on every point for a sensor at `sensor`.
    func depthTests(from sensor: SIMD3<Float>) -> [DepthTest] {
        let frame = SensorFrame(sensor: sensor, target: center)
        let centerDepth = ((center - sensor) * (center - sensor)).sum().squareRoot()
        let pixelSize = Self.pixelSpacings * spacing / centerDepth
        var tests = [DepthTest](repeating: .outOfView, count: count)
        // View coordinates `(x, y, z)` and the depth slope per unit of view x/y of each point in view.
        var views = [SIMD3<Float>](repeating: .zero, count: count)
        var slopes = [SIMD2<Float>](repeating: .zero, count: count)
        var low = SIMD2<Float>(repeating: .infinity), high = -low
        for i in 0..<count {
            let offset = frame.local(points[i] - sensor)
            guard offset.z > 0, abs(offset.x) <= Self.fieldOfViewTangent * offset.z,
                abs(offset.y) <= Self.fieldOfViewTangent * offset.z
            else { continue }
            let view = SIMD3(offset.x / offset.z, offset.y / offset.z, offset.z)
            let normal = frame.local(normals[i])
            let ray = offset / (offset * offset).sum().squareRoot()
            let cosine = abs((normal * ray).sum())
            // Depth along the tangent plane: t(x, y) = z·(n·(x₀, y₀, 1)) / (n·(x, y, 1)), so
            // ∂t/∂x = -z·nₓ / (n·(x₀, y₀, 1)), capped at the steepest slope.
            let facing = (normal * SIMD3(view.x, view.y, 1)).sum()
            var slope = SIMD2(normal.x, normal.y) / max(abs(facing), 1e-6) * (facing < 0 ? 1 : -1)
            let steepness = (slope * slope).sum().squareRoot()
            if steepness > Self.maximumDepthSlope { slope *= Self.maximumDepthSlope / steepness }
            views[i] = view
            slopes[i] = slope * view.z
            tests[i] = .tested(inFront: false, grazing: cosine < Self.grazingCosine)
            low = pointwiseMin(low, SIMD2(view.x, view.y))
            high = pointwiseMax(high, SIMD2(view.x, view.y))
        }
        guard low.x <= high.x else { return tests }
        let margin = Int((Self.splatSpacings / Self.pixelSpacings * 4).rounded(.up)) + 1
        var image = DepthImage(low: low, high: high, pixelSize: pixelSize, margin: margin)
        let splats = (0..<count).map { i in
            Splat(
                center: image.pixelCoordinates(SIMD2(views[i].x, views[i].y)), depth: views[i].z,
                gradient: slopes[i] * pixelSize,
                radius: min(Float(margin), Self.splatSpacings * spacing / views[i].z / pixelSize))
        }
        for i in 0..<count where tests[i] != .outOfView {
            image.splat(center: splats[i].center, radius: splats[i].radius, depth: splats[i].depth, gradient: splats[i].gradient)
        }
        let tolerance = Self.depthToleranceSpacings * spacing
        for i in 0..<count {
            guard case let .tested(_, grazing) = tests[i] else { continue }
            let behind = image.depthBehindNearest(center: splats[i].center, depth: splats[i].depth, gradient: splats[i].gradient)
            let surrounded = behind <= tolerance && image.isSurrounded(
                center: splats[i].center, depth: splats[i].depth, gradient: splats[i].gradient,
                radius: Self.surroundSpacings * spacing / splats[i].depth / pixelSize, tolerance: tolerance,
                sectors: Self.surroundSectors)
            tests[i] = .tested(inFront: behind <= tolerance && !surrounded, grazing: grazing)
        }
        return tests
    }
}
