import Testing
import AD3DKit

/// The point-splat rasteriser on tiny renders whose pixels are known.
@Suite struct ReportRendererTests {
    private let red = SIMD3<UInt8>(255, 0, 0), green = SIMD3<UInt8>(0, 255, 0), white = SIMD3<UInt8>(255, 255, 255)

    /// Looking down the z axis (x to the right, y up), one unit per pixel, the origin at the
    /// centre of a 10 × 10 image.
    private let topView = OrthographicProjection(
        view: ViewDirection(name: "top", towardsViewer: SIMD3(0, 0, 1), upHint: SIMD3(0, 1, 0)),
        center: .zero, pixelsPerUnit: 1, width: 10, height: 10)

    private let flat = PointSplatRenderer(splatRadius: 0, depthShading: false, outlineWidth: 1)

    /// The pixels of `image` that are not background, by (x, y).
    private func drawn(_ image: RasterImage) -> [SIMD2<Int>: SIMD3<UInt8>] {
        var pixels = [SIMD2<Int>: SIMD3<UInt8>]()
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] != white { pixels[SIMD2(x, y)] = image[x, y] }
        }
        return pixels
    }

    @Test func aPointLandsInItsPixel() {
        // x = 5 + 2.5 → column 7; y = 5 − 1.5 → row 3 (rows count down from the top).
        let image = flat.render([SIMD3(2.5, 1.5, 0)], colors: [red], projection: topView)
        #expect(drawn(image) == [SIMD2(7, 3): red])
    }

    @Test func theNearerOfTwoPointsWins() {
        let near = SIMD3<Float>(0.2, 0.2, 1), far = SIMD3<Float>(0.2, 0.2, -1)
        let nearFirst = flat.render([near, far], colors: [red, green], projection: topView)
        let farFirst = flat.render([far, near], colors: [green, red], projection: topView)
        #expect(drawn(nearFirst) == [SIMD2(5, 4): red])
        #expect(drawn(farFirst) == [SIMD2(5, 4): red])
    }

    @Test func aSplatOfRadiusOneIsAPlus() {
        let renderer = PointSplatRenderer(splatRadius: 1, depthShading: false)
        let image = renderer.render([SIMD3(0.5, 0.5, 0)], colors: [red], projection: topView)
        #expect(Set(drawn(image).keys) == [SIMD2(5, 4), SIMD2(4, 4), SIMD2(6, 4), SIMD2(5, 3), SIMD2(5, 5)])
    }

    @Test func depthShadingDarkensTheFartherPoint() {
        let renderer = PointSplatRenderer(splatRadius: 0)
        let image = renderer.render([SIMD3(-2.5, 0.5, 1), SIMD3(2.5, 0.5, -1)], colors: [red, red], projection: topView)
        #expect(image[2, 4] == red)
        #expect(image[7, 4] == SIMD3(140, 0, 0))  // 255 × 0.55
    }

    @Test func markedPixelsAreOutlinedOutside() {
        // A 3 × 3 block of points filling columns 4–6, rows 3–5; the middle column is marked.
        var points = [SIMD3<Float>](), marked = [Bool]()
        for dx in -1...1 {
            for dy in -1...1 {
                points.append(SIMD3(Float(dx) + 0.5, Float(dy) + 0.5, 0))
                marked.append(dx == 0)
            }
        }
        let black = SIMD3<UInt8>(0, 0, 0)
        let image = flat.render(points, colors: [SIMD3<UInt8>](repeating: red, count: 9), marked: marked, projection: topView)
        var expected = [SIMD2<Int>: SIMD3<UInt8>]()
        for x in 4...6 { for y in 2...6 { expected[SIMD2(x, y)] = black } }
        for y in 3...5 { expected[SIMD2(5, y)] = red }
        #expect(drawn(image) == expected)
    }

    @Test func gapsBetweenAMarkedRegionsSplatsAreNotOutlined() {
        // Two marked splats of radius 1 in row 9, covering columns 7–9 and 11–13: column 10 between
        // them is background inside the region, the pixels beside them are its outline.
        let projection = OrthographicProjection(
            view: topView.view, center: .zero, pixelsPerUnit: 1, width: 20, height: 20)
        let image = PointSplatRenderer(splatRadius: 1, depthShading: false, outlineWidth: 1)
            .render([SIMD3(-1.5, 0.5, 0), SIMD3(2.5, 0.5, 0)], colors: [red, red], marked: [true, true], projection: projection)
        #expect(image[10, 9] == white)
        #expect(image[8, 9] == red && image[12, 9] == red)
        #expect(image[6, 9] == SIMD3(0, 0, 0) && image[14, 9] == SIMD3(0, 0, 0))
    }

    @Test func fittingKeepsEveryPointInsideTheMargin() {
        let points: [SIMD3<Float>] = [SIMD3(-3, 7, 1), SIMD3(40, -2, 5), SIMD3(12, 30, -8), SIMD3(0, 0, 0)]
        for view in ViewDirection.report {
            let projection = OrthographicProjection.fitting(points, view: view, width: 100, height: 80, margin: 5)
            let pixels = points.map { projection.project($0) }
            #expect(pixels.allSatisfy { $0.x >= 5 && $0.x <= 95 && $0.y >= 5 && $0.y <= 75 })
            // The fit is tight along at least one axis.
            let spanX = pixels.map(\.x).max()! - pixels.map(\.x).min()!, spanY = pixels.map(\.y).max()! - pixels.map(\.y).min()!
            #expect(spanX >= 88 || spanY >= 68)
        }
    }

    @Test func reportViewsAreOrthonormalAndSeeEverySide() {
        for view in ViewDirection.report {
            let axes = [view.right, view.up, view.towardsViewer]
            for (i, a) in axes.enumerated() {
                for (j, b) in axes.enumerated() {
                    #expect(abs((a * b).sum() - (i == j ? 1 : 0)) < 1e-6)
                }
            }
        }
        // Each of ±x, ±y, ±z faces some view.
        for axis in 0..<3 {
            for sign: Float in [-1, 1] {
                #expect(ViewDirection.report.contains { $0.towardsViewer[axis] * sign > 0.5 })
            }
        }
    }
}
