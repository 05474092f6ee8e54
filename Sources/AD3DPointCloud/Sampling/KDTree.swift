/// A k-d tree over a point cloud for exact neighbour queries (k nearest, radius, bounded radius).
///
/// Median splits on the widest axis down to leaf buckets; points are stored in tree order so a
/// leaf is one contiguous run. Every query orders results by squared distance, then by original
/// index, so answers are identical to a brute-force scan with the same tie rule.
public struct KDTree: Sendable {
    /// A tree node: a leaf owns tree positions `start..<end`; an inner node splits on `axis` at `split`
    /// (left child: coordinates ≤ split, right child: ≥ split).
    struct Node: Sendable {
        var start: Int32
        var end: Int32
        var left: Int32 = -1
        var right: Int32 = -1
        var split: Float = 0
        var axis: Int32 = 0

        var isLeaf: Bool { left < 0 }
    }

    /// Default number of points per leaf bucket.
    public static let defaultLeafSize = 16

    /// Number of points in the tree.
    public let count: Int
    /// Coordinates in tree order, `[count, 3]` flat.
    let points: [Float]
    /// Original index of the point at each tree position.
    let order: [Int32]
    /// Nodes, root first.
    let nodes: [Node]

    /// Builds the tree over all points of `cloud` in O(N log N); throws on non-finite coordinates.
    public init(_ cloud: PointCloud, leafSize: Int = KDTree.defaultLeafSize) throws {
        let operation = "k-d tree"
        guard leafSize >= 1 else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "leafSize", value: "\(leafSize)", requirement: ">= 1")
        }
        guard cloud.count < Int(Int32.max) else {
            throw SamplingError.invalidParameter(
                operation: operation, name: "point count", value: "\(cloud.count)", requirement: "< 2^31")
        }
        try cloud.requireFiniteCoordinates(operation: operation)
        count = cloud.count
        var order = (0..<Int32(cloud.count)).map { $0 }
        var nodes = [Node]()
        nodes.reserveCapacity(4 * (cloud.count / leafSize + 1))
        cloud.coordinates.withUnsafeBufferPointer { coordinates in
            order.withUnsafeMutableBufferPointer { permutation in
                let builder = Builder(coordinates: coordinates, order: permutation, leafSize: leafSize)
                if cloud.count > 0 { _ = builder.build(0, cloud.count, into: &nodes) }
            }
        }
        var points = [Float](repeating: 0, count: 3 * cloud.count)
        for (position, original) in order.enumerated() {
            for axis in 0..<3 { points[3 * position + axis] = cloud.coordinates[3 * Int(original) + axis] }
        }
        self.points = points
        self.order = order
        self.nodes = nodes
    }

    /// Recursive median-split construction over a permutation of the input indices.
    private struct Builder {
        let coordinates: UnsafeBufferPointer<Float>
        let order: UnsafeMutableBufferPointer<Int32>
        let leafSize: Int

        func coordinate(_ position: Int, _ axis: Int) -> Float {
            coordinates[3 * Int(order[position]) + axis]
        }

        /// Appends the subtree over positions `start..<end` to `nodes` and returns its node id.
        func build(_ start: Int, _ end: Int, into nodes: inout [Node]) -> Int32 {
            let id = Int32(nodes.count)
            nodes.append(Node(start: Int32(start), end: Int32(end)))
            guard end - start > leafSize else { return id }
            var low = SIMD3<Float>(repeating: .infinity), high = SIMD3<Float>(repeating: -.infinity)
            for position in start..<end {
                let p = SIMD3(coordinate(position, 0), coordinate(position, 1), coordinate(position, 2))
                low.replace(with: p, where: p .< low)
                high.replace(with: p, where: p .> high)
            }
            let extent = high - low
            let axis = extent.x >= extent.y ? (extent.x >= extent.z ? 0 : 2) : (extent.y >= extent.z ? 1 : 2)
            // Coincident points cannot be separated; keep them in one (larger) leaf.
            guard extent[axis] > 0 else { return id }
            let middle = (start + end) / 2
            select(nth: middle, in: start, end, axis: axis)
            let split = coordinate(middle, axis)
            let left = build(start, middle, into: &nodes)
            let right = build(middle, end, into: &nodes)
            nodes[Int(id)].left = left
            nodes[Int(id)].right = right
            nodes[Int(id)].split = split
            nodes[Int(id)].axis = Int32(axis)
            return id
        }

        /// Quickselect with a three-way partition: afterwards positions before `nth` hold values
        /// ≤ the value at `nth`, and positions after it hold values ≥ it.
        func select(nth: Int, in start: Int, _ end: Int, axis: Int) {
            var low = start, high = end
            while high - low > 1 {
                let a = coordinate(low, axis), b = coordinate((low + high) / 2, axis), c = coordinate(high - 1, axis)
                let pivot = max(min(a, b), min(max(a, b), c))
                var less = low, scan = low, greater = high
                while scan < greater {
                    let value = coordinate(scan, axis)
                    if value < pivot {
                        order.swapAt(less, scan)
                        less += 1
                        scan += 1
                    } else if value > pivot {
                        greater -= 1
                        order.swapAt(scan, greater)
                    } else {
                        scan += 1
                    }
                }
                if nth < less {
                    high = less
                } else if nth >= greater {
                    low = greater
                } else {
                    return
                }
            }
        }
    }
}
