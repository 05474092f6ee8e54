import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud

@Suite struct SamplingKDTreeTests {
    static let clouds: [(name: String, cloud: PointCloud)] = [
        ("uniform", SamplingReference.uniformCloud(count: 1500, seed: 1)),
        ("grid with duplicates", SamplingReference.gridCloud(side: 10)),
    ]

    /// Query points: some cloud points (distance-0 hits, duplicates), some grid half-steps, some random.
    static func queries(for cloud: PointCloud) -> PointCloud {
        var generator = SeededGenerator(seed: 99)
        var points = stride(from: 0, to: cloud.count, by: cloud.count / 20).map { cloud[$0] }
        points += (0..<20).map { _ in
            SIMD3((0..<3).map { _ in (generator.nextUnitFloat() * 22).rounded() / 2 - 0.5 })
        }
        points += (0..<20).map { _ in SIMD3((0..<3).map { _ in generator.nextUnitFloat() * 2 - 1 }) }
        return PointCloud(points: points)
    }

    @Test(arguments: [1, 5, 32], [1, 16])
    func nearestMatchesBruteForce(k: Int, leafSize: Int) throws {
        for (name, cloud) in Self.clouds {
            let tree = try KDTree(cloud, leafSize: leafSize)
            let queries = Self.queries(for: cloud)
            let table = tree.nearest(k: k, to: queries)
            #expect(table.queryCount == queries.count)
            for q in 0..<queries.count {
                let expected = SamplingReference.nearest(k: k, to: queries[q], in: cloud)
                #expect(tree.nearest(k: k, to: queries[q]) == expected, "\(name) query \(q)")
                #expect(table.neighbors(of: q) == expected, "\(name) batched query \(q)")
            }
        }
    }

    @Test(arguments: [0.3 as Float, 1, 2, 2.5])
    func radiusMatchesBruteForce(radius: Float) throws {
        for (name, cloud) in Self.clouds {
            let tree = try KDTree(cloud)
            let queries = Self.queries(for: cloud)
            let table = tree.neighbors(within: radius, of: queries)
            let bounded = tree.nearest(k: 7, within: radius, to: queries)
            for q in 0..<queries.count {
                let expected = SamplingReference.sortedNeighbors(of: queries[q], in: cloud, radiusSquared: radius * radius)
                #expect(tree.neighbors(within: radius, of: queries[q]) == expected, "\(name) query \(q)")
                #expect(table.neighbors(of: q) == expected, "\(name) batched query \(q)")
                let expectedBounded = SamplingReference.nearest(
                    k: 7, to: queries[q], in: cloud, radiusSquared: radius * radius)
                #expect(bounded.neighbors(of: q) == expectedBounded, "\(name) bounded query \(q)")
                #expect(tree.nearest(k: 7, within: radius, to: queries[q]) == expectedBounded)
            }
        }
    }

    @Test func oversizedAndDegenerateQueries() throws {
        let cloud = SamplingReference.uniformCloud(count: 50, seed: 3)
        let tree = try KDTree(cloud)
        let query = SIMD3<Float>(0.1, 0.2, 0.3)
        #expect(tree.nearest(k: 1000, to: query) == SamplingReference.sortedNeighbors(of: query, in: cloud))
        #expect(tree.nearest(k: 0, to: query).indices.isEmpty)
        #expect(tree.nearest(k: -4, to: query).indices.isEmpty)
        #expect(tree.nearest(k: 3, to: SIMD3(.nan, 0, 0)).indices.isEmpty)
        #expect(tree.neighbors(within: -1, of: query).indices.isEmpty)
        #expect(tree.neighbors(within: .nan, of: query).indices.isEmpty)
        #expect(tree.neighbors(within: .infinity, of: query).indices.count == 50)
    }

    @Test func coincidentPointsAndEmptyCloud() throws {
        let same = PointCloud(points: Array(repeating: SIMD3<Float>(1, 2, 3), count: 100))
        let tree = try KDTree(same, leafSize: 4)
        #expect(tree.nearest(k: 5, to: SIMD3(1, 2, 3)).indices == [0, 1, 2, 3, 4])
        let empty = try KDTree(PointCloud(coordinates: []))
        #expect(empty.nearest(k: 3, to: .zero).indices.isEmpty)
        #expect(empty.nearest(k: 3, to: PointCloud(points: [.zero, .one])).offsets == [0, 0, 0])
    }

    @Test func rejectsNonFiniteCoordinatesAndBadLeafSize() {
        let cloud = PointCloud(points: [.zero, SIMD3(1, .infinity, 0)])
        #expect(throws: SamplingError.nonFiniteCoordinate(operation: "k-d tree", pointIndex: 1)) {
            try KDTree(cloud)
        }
        #expect(throws: SamplingError.self) { try KDTree(PointCloud(points: [.zero]), leafSize: 0) }
    }
}
