import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud
@testable import AD3DDetection

/// Defect regions: connected components of the points at or above a threshold.
struct DefectRegionTests {
    /// Components by breadth-first search over all pairs (the reference).
    private func bruteForceComponents(_ cloud: PointCloud, _ scores: [Float], threshold: Float, link: Float) -> Set<[Int]> {
        let hot = scores.indices.filter { scores[$0] >= threshold }
        var seen = Set<Int>(), components = Set<[Int]>()
        for start in hot where !seen.contains(start) {
            var component = [start], frontier = [start]
            seen.insert(start)
            while let current = frontier.popLast() {
                for other in hot where !seen.contains(other) {
                    let offset = cloud[current] - cloud[other]
                    if (offset * offset).sum() <= link * link {
                        seen.insert(other)
                        component.append(other)
                        frontier.append(other)
                    }
                }
            }
            components.insert(component.sorted())
        }
        return components
    }

    /// Points on a `side` × `side` grid of the z = 0 plane with the given spacing.
    private func grid(side: Int, spacing: Float) -> PointCloud {
        PointCloud(points: (0..<side * side).map { SIMD3<Float>(Float($0 % side) * spacing, Float($0 / side) * spacing, 0) })
    }

    @Test func componentsMatchABruteForceSearch() throws {
        var generator = SeededGenerator(seed: 7)
        for trial in 0..<5 {
            let cloud = PointCloud(points: (0..<500).map { _ in
                SIMD3<Float>(generator.uniform(0...1), generator.uniform(0...1), generator.uniform(0...0.2))
            })
            let scores = (0..<cloud.count).map { _ in Float(generator.uniform(0...1)) }
            let (threshold, link) = (Float(0.6), Float(0.05 + 0.02 * Float(trial)))
            let regions = try DefectRegion.find(in: cloud, scores: scores, threshold: threshold, linkDistance: link)
            #expect(Set(regions.map(\.pointIndices)) == bruteForceComponents(cloud, scores, threshold: threshold, link: link))
            #expect(regions.map(\.peakScore) == regions.map(\.peakScore).sorted(by: >))
            #expect(regions.count > 1)
        }
    }

    /// Whether two points lie within 1e-4 of each other on every axis.
    private func isClose(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Bool {
        let offset = a - b
        return max(Swift.abs(offset.x), Swift.abs(offset.y), Swift.abs(offset.z)) < 1e-4
    }

    @Test func twoDentsOnAPlateAreTwoRegionsWithTheirPlacesAndPeaks() throws {
        let cloud = grid(side: 40, spacing: 0.01)
        let dents: [(center: SIMD3<Float>, radius: Float, peak: Float)] = [([0.1, 0.1, 0], 0.0355, 5), ([0.3, 0.25, 0], 0.0505, 9)]
        let scores = (0..<cloud.count).map { index -> Float in
            for dent in dents {
                let offset = cloud[index] - dent.center
                let distance = (offset * offset).sum().squareRoot()
                if distance <= dent.radius { return dent.peak * (1 - distance / (2 * dent.radius)) }
            }
            return 0.1
        }
        let regions = try DefectRegion.find(in: cloud, scores: scores, threshold: 1)
        #expect(regions.count == 2)
        let (large, small) = (regions[0], regions[1])
        #expect(abs(large.peakScore - 9) < 1e-3 && isClose(large.peakPoint, [0.3, 0.25, 0]))
        #expect(abs(small.peakScore - 5) < 1e-3 && isClose(small.peakPoint, [0.1, 0.1, 0]))
        #expect(abs(large.centroid.x - 0.3) < 1e-4 && abs(large.centroid.y - 0.25) < 1e-4)
        #expect(abs(large.lowerBound.x - 0.25) < 1e-4 && abs(large.upperBound.y - 0.30) < 1e-4)
        // A disc of radius r on a grid of spacing h holds about π r² / h² points.
        #expect(abs(Float(large.pointIndices.count) - Float.pi * 25) < 8)
        #expect(abs(Float(small.pointIndices.count) - Float.pi * 12.25) < 6)
    }

    @Test func smallRegionsAndAHighThresholdLeaveNothing() throws {
        let cloud = grid(side: 20, spacing: 0.01)
        var scores = [Float](repeating: 0, count: cloud.count)
        for index in [0, 1, 20, 21] { scores[index] = 3 }  // a 2 × 2 corner
        scores[210] = 4  // a lone point
        #expect(try DefectRegion.find(in: cloud, scores: scores, threshold: 1).map(\.pointIndices) == [[210], [0, 1, 20, 21]])
        #expect(try DefectRegion.find(in: cloud, scores: scores, threshold: 1, minimumPoints: 2).map(\.pointIndices) == [[0, 1, 20, 21]])
        #expect(try DefectRegion.find(in: cloud, scores: scores, threshold: 4.5).isEmpty)
    }

    @Test func defaultLinkIsFiveSpacings() throws {
        #expect(abs(try DefectRegion.defaultLinkDistance(of: grid(side: 30, spacing: 0.02)) - 0.1) < 1e-6)
        // Two rows 3 spacings apart are 2 regions by default, 1 with a longer link.
        let cloud = PointCloud(points: (0..<20).map { SIMD3<Float>(Float($0 % 10) * 0.01, Float($0 / 10) * 0.03, 0) })
        let scores = [Float](repeating: 1, count: 20)
        #expect(try DefectRegion.find(in: cloud, scores: scores, threshold: 1, linkDistance: 0.025).count == 2)
        #expect(try DefectRegion.find(in: cloud, scores: scores, threshold: 1, linkDistance: 0.031).count == 1)
    }
}

/// How regions are written for people (`ad3d infer` lines) and programs (`regions.csv`).
struct DefectRegionReportTests {
    private let cloud = PointCloud(points: [[0, 0, 0], [1, 0, 0], [1, 2, 0], [5, 5, 5], [9, 9, 9]])
    private let scores: [Float] = [2, 3, 2.5, 0, 7]

    @Test func csvHasOneRowPerRegionNumberedPerScan() throws {
        let regions = try DefectRegion.find(in: cloud, scores: scores, threshold: 2, linkDistance: 2.5)
        let text = try DefectRegionReport.csv([(scan: "a", regions: regions), (scan: "b", regions: [])])
        let rows = text.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows.count == 3)
        #expect(rows[0].count == 16 && rows[0] == DefectRegionReport.csvHeader)
        // The lone point (peak 7) first, then the three linked points around (2/3, 2/3, 0).
        #expect(rows[1] == ["a", "1", "1", "9.0", "9.0", "9.0", "9.0", "9.0", "9.0", "9.0", "9.0", "9.0", "7.0", "9.0", "9.0", "9.0"])
        #expect(rows[2].prefix(3) == ["a", "2", "3"])
        let numbers = rows[2].dropFirst(3).map { Float($0)! }
        let expected: [Float] = [2.0 / 3, 2.0 / 3, 0, 0, 0, 0, 1, 2, 0, 3, 1, 0, 0]
        #expect(zip(numbers, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func csvQuotesAScanNameWithCommaAndQuotes() throws {
        let regions = try DefectRegion.find(in: cloud, scores: scores, threshold: 7, linkDistance: 2.5)
        let text = try DefectRegionReport.csv([(scan: "part 7,lot A \"x\"", regions: regions)])
        #expect(text.split(separator: "\n")[1].hasPrefix("\"part 7,lot A \"\"x\"\"\",1,1,9.0,"))
    }

    @Test func linesNameEveryRegionOrSayThereIsNone() throws {
        let regions = try DefectRegion.find(in: cloud, scores: scores, threshold: 2, linkDistance: 2.5)
        let lines = DefectRegionReport.lines(regions, threshold: 2)
        #expect(lines == [
            "    region 1: 1 point around (9, 9, 9), size 0 × 0 × 0, peak 7 at (9, 9, 9)",
            "    region 2: 3 points around (0.6667, 0.6667, 0), size 1 × 2 × 0, peak 3 at (1, 0, 0)",
        ])
        #expect(DefectRegionReport.lines([], threshold: 12.5) == ["    no region scores 12.5 or more"])
    }
}
