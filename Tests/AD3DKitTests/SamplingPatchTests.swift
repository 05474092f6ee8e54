import Testing
import AD3DKit
@testable import AD3DPointCloud

@Suite struct SamplingPatchTests {
    @Test(arguments: [(32, 16), (8, 1), (64, 50)])
    func patchesMatchFPSAndBruteForceKNN(groupCount: Int, groupSize: Int) throws {
        let cloud = SamplingReference.uniformCloud(count: 1200, seed: 13)
        let patches = try PatchExtractor(groupCount: groupCount, groupSize: groupSize)(cloud)
        let fps = SamplingReference.naiveFarthestPoints(cloud, count: groupCount, pointMAE: true)
        #expect(patches.centerIndices == fps)
        #expect(patches.centers.shape == [groupCount, 3])
        #expect(patches.neighborhoods.shape == [groupCount, groupSize, 3])
        #expect(patches.indices.count == groupCount * groupSize)
        #expect(patches.centers.storage == cloud.selecting(fps).coordinates)
        for g in 0..<groupCount {
            let center = cloud[fps[g]]
            let expected = SamplingReference.nearest(k: groupSize, to: center, in: cloud)
            let group = patches.indices[(g * groupSize)..<((g + 1) * groupSize)].map(Int.init)
            #expect(group == expected.indices, "group \(g)")
            #expect(group.first == fps[g], "centre is its own nearest neighbour")
            for (k, index) in expected.indices.enumerated() {
                let slot = 3 * (g * groupSize + k)
                let relative = SIMD3(
                    patches.neighborhoods.storage[slot], patches.neighborhoods.storage[slot + 1],
                    patches.neighborhoods.storage[slot + 2])
                #expect(relative == cloud[index] - center, "group \(g) slot \(k)")
            }
        }
    }

    /// Hand-checked: from (1,1,1) both other positions are at distance² 3, so index 1 wins the tie;
    /// each centre's zero-distance twin follows it in index order.
    @Test func duplicatePointsFollowIndexOrder() throws {
        let points: [SIMD3<Float>] = [SIMD3(1, 1, 1), SIMD3(2, 0, 0), SIMD3(1, 1, 1), SIMD3(0, 2, 0), SIMD3(2, 0, 0)]
        let patches = try PatchExtractor(groupCount: 2, groupSize: 2)(PointCloud(points: points))
        #expect(patches.centerIndices == [0, 1])
        #expect(patches.indices == [0, 2, 1, 4])
    }

    @Test func reusesATreeAndRejectsBadSizes() throws {
        let cloud = SamplingReference.uniformCloud(count: 40, seed: 2)
        let tree = try KDTree(cloud)
        let extractor = PatchExtractor(groupCount: 4, groupSize: 8)
        #expect(try extractor.extract(cloud, tree: tree) == extractor(cloud))
        #expect(throws: SamplingError.tooFewPoints(operation: "patch extraction", required: 41, available: 40)) {
            try PatchExtractor(groupCount: 4, groupSize: 41)(cloud)
        }
        #expect(throws: SamplingError.self) { try PatchExtractor(groupCount: 0, groupSize: 4)(cloud) }
        #expect(throws: SamplingError.self) { try PatchExtractor(groupCount: 4, groupSize: 0)(cloud) }
        #expect(throws: SamplingError.self) { try PatchExtractor(groupCount: Int.max / 2, groupSize: 4)(cloud) }
        let repeated = try PatchExtractor(groupCount: 50, groupSize: 3)(cloud)
        #expect(Set(repeated.centerIndices).count == 40)
    }
}
