import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud

@Suite struct SamplingDownsamplingTests {
    @Test(arguments: [0.37 as Float, 1, 5])
    func voxelCentroidsMatchDictionaryGrouping(voxelSize: Float) throws {
        let cloud = SamplingReference.uniformCloud(count: 3000, extent: 2, seed: 11)
        let result = try Downsampling.voxelGrid(cloud, voxelSize: voxelSize)

        var voxelOrder = [SIMD3<Int>]()
        var members = [SIMD3<Int>: [Int]]()
        for i in 0..<cloud.count {
            let cell = SIMD3<Int>((cloud[i] / voxelSize).rounded(.down))
            if members[cell] == nil { voxelOrder.append(cell) }
            members[cell, default: []].append(i)
        }
        #expect(result.cloud.count == voxelOrder.count)
        #expect(result.assignment.count == cloud.count)
        for (v, cell) in voxelOrder.enumerated() {
            let indices = members[cell]!
            let mean = indices.reduce(SIMD3<Double>.zero) { $0 + SIMD3<Double>(cloud[$1]) } / Double(indices.count)
            let error = SIMD3<Double>(result.cloud[v]) - mean
            #expect((error * error).sum() < 1e-12, "voxel \(v)")
            #expect(indices.allSatisfy { result.assignment[$0] == Int32(v) }, "voxel \(v)")
        }
    }

    @Test func voxelLabelsMarkAnyAnomalousPoint() throws {
        let cloud = PointCloud(
            points: [SIMD3(0.1, 0.1, 0.1), SIMD3(0.2, 0.2, 0.2), SIMD3(1.5, 0, 0), SIMD3(1.6, 0, 0), SIMD3(-0.5, 0, 0)],
            labels: [0, 1, 0, 0, 1])
        let result = try Downsampling.voxelGrid(cloud, voxelSize: 1)
        #expect(result.assignment == [0, 0, 1, 1, 2])
        #expect(result.cloud.labels == [1, 0, 1])
        #expect(result.cloud[1] == SIMD3(1.55, 0, 0))
    }

    @Test func voxelRejectsBadInput() throws {
        let cloud = SamplingReference.uniformCloud(count: 10, seed: 1)
        for size in [0, -1, Float.nan, .infinity] {
            #expect(throws: SamplingError.self) { try Downsampling.voxelGrid(cloud, voxelSize: size) }
        }
        #expect(throws: SamplingError.self) {
            try Downsampling.voxelGrid(PointCloud(points: [.zero, SIMD3(1e30, 0, 0)]), voxelSize: 1e-3)
        }
        #expect(throws: SamplingError.nonFiniteCoordinate(operation: "voxel downsampling", pointIndex: 0)) {
            try Downsampling.voxelGrid(PointCloud(points: [SIMD3(.nan, 0, 0)]), voxelSize: 1)
        }
        #expect(try Downsampling.voxelGrid(PointCloud(coordinates: []), voxelSize: 1).cloud.isEmpty)
    }

    @Test(arguments: [0, 1, 37, 500])
    func randomIndicesAreDeterministicDistinctAndSorted(count: Int) throws {
        var a = SeededGenerator(seed: 21), b = SeededGenerator(seed: 21), c = SeededGenerator(seed: 22)
        let first = try Downsampling.randomIndices(count: count, from: 500, using: &a)
        let again = try Downsampling.randomIndices(count: count, from: 500, using: &b)
        let other = try Downsampling.randomIndices(count: count, from: 500, using: &c)
        #expect(first == again)
        #expect(first.count == count)
        #expect(Set(first).count == count)
        #expect(first == first.sorted())
        #expect(first.allSatisfy { (0..<500).contains($0) })
        if count == 37 { #expect(first != other) }
        if count == 500 { #expect(first == Array(0..<500)) }
    }

    @Test func randomDownsamplingSelectsThosePoints() throws {
        let cloud = SamplingReference.uniformCloud(count: 100, seed: 3)
        var a = SeededGenerator(seed: 5), b = SeededGenerator(seed: 5)
        let subset = try Downsampling.random(cloud, count: 10, using: &a)
        #expect(subset == cloud.selecting(try Downsampling.randomIndices(count: 10, from: 100, using: &b)))
        #expect(throws: SamplingError.self) { try Downsampling.random(cloud, count: 101, using: &a) }
        #expect(throws: SamplingError.self) { try Downsampling.random(cloud, count: -1, using: &a) }
    }

    @Test func uniformDrawsCoverTheRangeEvenly() {
        var generator = SeededGenerator(seed: 9)
        var histogram = [Int](repeating: 0, count: 7)
        for _ in 0..<7000 { histogram[Int(Downsampling.uniform(below: 7, using: &generator))] += 1 }
        #expect(histogram.allSatisfy { (850...1150).contains($0) })
    }
}
