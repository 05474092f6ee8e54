import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud

/// Seeded Gaussian matrices for the bank and coreset tests.
func gaussianMatrix(rows: Int, columns: Int, seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor(shape: [rows, columns], storage: (0..<(rows * columns)).map { _ in generator.nextGaussian() })
}

@Suite("Baselines: nearest-neighbour bank and greedy coreset")
struct BaselinesBankTests {
    /// Brute force for query rows `rows`: every distance in `Double`, sorted by (distance, index).
    func bruteForce(_ queries: Tensor, rows: [Int], _ bank: Tensor, k: Int) -> (distances: [Float], indices: [Int32]) {
        let c = bank.shape[1]
        var distances = [Float](), indices = [Int32]()
        for q in rows {
            var all: [(Double, Int)] = []
            for b in 0..<bank.shape[0] {
                var sum = 0.0
                for j in 0..<c {
                    let d = Double(queries.storage[q * c + j]) - Double(bank.storage[b * c + j])
                    sum += d * d
                }
                all.append((sum.squareRoot(), b))
            }
            all.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (distance, index) in all.prefix(k) {
                distances.append(Float(distance))
                indices.append(Int32(index))
            }
        }
        return (distances, indices)
    }

    @Test("k nearest across several query and bank blocks equal brute force")
    func nearestMatchesBruteForce() throws {
        let bank = gaussianMatrix(rows: 4500, columns: 12, seed: 1)
        let queries = gaussianMatrix(rows: 1100, columns: 12, seed: 2)
        let found = try NearestNeighborBank(features: bank).nearest(to: queries, k: 3)
        #expect(found.k == 3 && found.queryCount == 1100)
        // Every 9th query, which covers both query blocks, against all bank blocks.
        let rows = Array(stride(from: 0, to: 1100, by: 9))
        let expected = bruteForce(queries, rows: rows, bank, k: 3)
        #expect(rows.flatMap { found.indices[(3 * $0)..<(3 * $0 + 3)] } == expected.indices)
        expectClose(rows.flatMap { found.distances[(3 * $0)..<(3 * $0 + 3)] }, expected.distances, rtol: 1e-6, atol: 1e-6)
    }

    @Test("exact matches, duplicate rows (lower index wins) and k larger than the bank")
    func tiesAndSmallBanks() throws {
        let base = gaussianMatrix(rows: 5, columns: 4, seed: 3)
        let bank = Tensor.concatenate([base, base], alongAxis: 0)
        let found = try NearestNeighborBank(features: bank).nearest(to: base, k: 20)
        #expect(found.k == 10)
        for q in 0..<5 {
            #expect(Array(found.indices[(10 * q)..<(10 * q + 2)]) == [Int32(q), Int32(q + 5)])
            #expect(found.distances[10 * q] == 0 && found.distances[10 * q + 1] == 0)
        }
        #expect(throws: BaselineError.featureDimensionMismatch(expected: 4, columns: 3)) {
            try NearestNeighborBank(features: bank).nearest(to: Tensor(shape: [2, 3]), k: 1)
        }
    }

    @Test("greedy coreset equals the k-center definition on the projected features")
    func coresetMatchesDefinition() throws {
        let features = gaussianMatrix(rows: 600, columns: 160, seed: 4)
        let selected = try GreedyCoreset.select(features, ratio: 0.05, projectionDimension: 16, seed: 9)
        // Replay the seeded draws: projection matrix first, then the start row.
        var generator = SeededGenerator(seed: 9)
        let projected = GreedyCoreset.project(features, dimension: 16, using: &generator)
        #expect(projected.shape == [600, 16])
        let start = Int(Downsampling.uniform(below: 600, using: &generator))
        #expect(selected == naiveKCenter(projected, count: 30, start: start))
    }

    @Test("features narrower than the projection are used as they are; ratio 1 keeps everything")
    func coresetWithoutProjection() throws {
        let features = gaussianMatrix(rows: 300, columns: 33, seed: 5)
        let selected = try GreedyCoreset.select(features, ratio: 0.1, projectionDimension: 128, seed: 2)
        var generator = SeededGenerator(seed: 2)
        let start = Int(Downsampling.uniform(below: 300, using: &generator))
        #expect(selected == naiveKCenter(features, count: 30, start: start))
        #expect(try GreedyCoreset.select(features, ratio: 1, projectionDimension: 128, seed: 2) == Array(0..<300))
        #expect(throws: BaselineError.self) { try GreedyCoreset.select(features, ratio: 0, projectionDimension: 8, seed: 0) }
    }

    @Test("selection stops once every row coincides with a chosen one")
    func coresetStopsOnDuplicates() throws {
        let rows = gaussianMatrix(rows: 3, columns: 4, seed: 6)
        let features = Tensor.concatenate([rows, rows, rows, rows], alongAxis: 0)
        let selected = GreedyCoreset.farthestFirst(features, count: 10, start: 0)
        #expect(selected.count == 3)
        #expect(Set(selected.map { $0 % 3 }) == [0, 1, 2])
    }

    @Test("coreset squared distances equal a Double reference for widths around the SIMD width", arguments: [1, 7, 8, 9, 33, 128])
    func coresetDistance(columns: Int) {
        let x = gaussianMatrix(rows: 2, columns: columns, seed: UInt64(columns))
        let expected = (0..<columns).reduce(0.0) { sum, c in
            let d = Double(x.storage[c]) - Double(x.storage[columns + c])
            return sum + d * d
        }
        let found = x.storage.withUnsafeBufferPointer { GreedyCoreset.squaredDistance($0, 0, 1, columns: columns) }
        expectClose(found, Float(expected), rtol: 1e-5)
    }

    @Test("random projection roughly preserves distances (Johnson–Lindenstrauss)")
    func projectionPreservesDistances() {
        let features = gaussianMatrix(rows: 50, columns: 512, seed: 7)
        var generator = SeededGenerator(seed: 3)
        let projected = GreedyCoreset.project(features, dimension: 256, using: &generator)
        var ratios = [Float]()
        features.storage.withUnsafeBufferPointer { f in
            projected.storage.withUnsafeBufferPointer { p in
                for i in 1..<50 {
                    let original = GreedyCoreset.squaredDistance(f, 0, i, columns: 512)
                    ratios.append(GreedyCoreset.squaredDistance(p, 0, i, columns: 256) / original)
                }
            }
        }
        #expect(ratios.allSatisfy { $0 > 0.6 && $0 < 1.4 })
    }

    /// k-center by its definition: each step recomputes, for every row, the distance to the
    /// nearest chosen row and takes the first row where that is largest. Distances are the
    /// library's (checked against `Double` in `coresetDistance`), so ties resolve identically.
    func naiveKCenter(_ x: Tensor, count: Int, start: Int) -> [Int] {
        let n = x.shape[0], d = x.shape[1]
        func distance(_ i: Int, _ j: Int) -> Float {
            x.storage.withUnsafeBufferPointer { GreedyCoreset.squaredDistance($0, i, j, columns: d) }
        }
        var chosen = [start]
        while chosen.count < count {
            var best = (distance: Float(-1), index: 0)
            for i in 0..<n {
                let nearest = chosen.map { distance(i, $0) }.min()!
                if nearest > best.distance { best = (nearest, i) }
            }
            chosen.append(best.index)
        }
        return chosen
    }
}
