import AD3DTensor

extension KDTree {
    /// The `k` nearest points to `query` (fewer if the tree is smaller), nearest first, ties by lower index.
    public func nearest(k: Int, to query: SIMD3<Float>) -> Neighbors {
        single(.nearest(k: k, radiusSquared: .infinity), at: query)
    }

    /// Up to `k` nearest points to `query` among those with distance ≤ `radius`, nearest first.
    public func nearest(k: Int, within radius: Float, to query: SIMD3<Float>) -> Neighbors {
        single(.nearest(k: k, radiusSquared: Self.squared(radius)), at: query)
    }

    /// All points with distance ≤ `radius` from `query`, sorted by distance then index.
    public func neighbors(within radius: Float, of query: SIMD3<Float>) -> Neighbors {
        single(.within(radiusSquared: Self.squared(radius)), at: query)
    }

    /// `nearest(k:to:)` for every point of `queries`, computed in parallel.
    public func nearest(k: Int, to queries: PointCloud) -> NeighborTable {
        batched(.nearest(k: k, radiusSquared: .infinity), at: queries)
    }

    /// `nearest(k:within:to:)` for every point of `queries`, computed in parallel.
    public func nearest(k: Int, within radius: Float, to queries: PointCloud) -> NeighborTable {
        batched(.nearest(k: k, radiusSquared: Self.squared(radius)), at: queries)
    }

    /// `neighbors(within:of:)` for every point of `queries`, computed in parallel.
    public func neighbors(within radius: Float, of queries: PointCloud) -> NeighborTable {
        batched(.within(radiusSquared: Self.squared(radius)), at: queries)
    }

    /// Fewest queries handed to one core in batched searches.
    static let minimumQueriesPerChunk = 64

    /// What to collect for one query point.
    enum Query {
        case nearest(k: Int, radiusSquared: Float)
        case within(radiusSquared: Float)
    }

    /// `radius²`, or -1 (matches nothing) for a negative or NaN radius.
    static func squared(_ radius: Float) -> Float {
        radius >= 0 ? radius * radius : -1
    }

    private func single(_ query: Query, at point: SIMD3<Float>) -> Neighbors {
        var table = NeighborTable()
        var scratch = SearchScratch(query, pointCount: count)
        withSearch { search in search.answer(query, at: point, scratch: &scratch, into: &table) }
        return table.neighbors(of: 0)
    }

    private func batched(_ query: Query, at queries: PointCloud) -> NeighborTable {
        let parts = ParallelMap.map(count: queries.count, minimumChunk: Self.minimumQueriesPerChunk) { range in
            var table = NeighborTable()
            var scratch = SearchScratch(query, pointCount: count)
            withSearch { search in
                for q in range { search.answer(query, at: queries[q], scratch: &scratch, into: &table) }
            }
            return table
        }
        return NeighborTable(concatenating: parts)
    }

    /// Runs `body` with raw views of the tree's arrays.
    func withSearch<R>(_ body: (Search) -> R) -> R {
        nodes.withUnsafeBufferPointer { nodes in
            points.withUnsafeBufferPointer { points in
                order.withUnsafeBufferPointer { order in
                    body(Search(nodes: nodes, points: points, order: order))
                }
            }
        }
    }
}

/// Per-thread buffers reused across queries.
struct SearchScratch {
    var distances: [Float]
    var positions: [Int32]
    var indices: [Int32]
    var pairs: [(distance: Float, index: Int32)] = []

    init(_ query: KDTree.Query, pointCount: Int) {
        let capacity: Int
        switch query {
        case let .nearest(k, _): capacity = max(0, min(k, pointCount))
        case .within: capacity = 0
        }
        distances = [Float](repeating: 0, count: capacity)
        positions = [Int32](repeating: 0, count: capacity)
        indices = [Int32](repeating: 0, count: capacity)
    }
}

/// Receives candidate points (by tree position) from a traversal; `bound` is the squared
/// distance beyond which nothing more can be accepted (points at exactly `bound` may still win on index).
protocol CandidateVisitor {
    var bound: Float { get }
    mutating func offer(_ distance: Float, position: Int32)
}

/// The `capacity` best candidates within `radiusSquared`, kept sorted by (distance, original index).
/// Tree positions are kept (callers can read the reordered, cache-friendly coordinates);
/// `order` resolves the rare exact-distance ties.
struct NearestCollector: CandidateVisitor {
    let capacity: Int
    let radiusSquared: Float
    let distances: UnsafeMutablePointer<Float>
    let positions: UnsafeMutablePointer<Int32>
    let order: UnsafeBufferPointer<Int32>
    var count = 0

    var bound: Float { count < capacity ? radiusSquared : distances[capacity - 1] }

    /// Whether the candidate at `position` comes after the one at `other` among equal distances.
    private func indexFollows(_ other: Int32, _ position: Int32) -> Bool {
        order[Int(other)] > order[Int(position)]
    }

    mutating func offer(_ distance: Float, position: Int32) {
        var slot: Int
        if count < capacity {
            guard distance <= radiusSquared else { return }
            slot = count
            count += 1
        } else {
            let last = capacity - 1
            guard distance < distances[last] || (distance == distances[last] && indexFollows(positions[last], position))
            else { return }
            slot = last
        }
        while slot > 0,
            distances[slot - 1] > distance || (distances[slot - 1] == distance && indexFollows(positions[slot - 1], position))
        {
            distances[slot] = distances[slot - 1]
            positions[slot] = positions[slot - 1]
            slot -= 1
        }
        distances[slot] = distance
        positions[slot] = position
    }
}

/// Every candidate within `radiusSquared`, unsorted, by original index.
struct RadiusCollector: CandidateVisitor {
    let bound: Float
    let order: UnsafeBufferPointer<Int32>
    var pairs: [(distance: Float, index: Int32)]

    mutating func offer(_ distance: Float, position: Int32) {
        pairs.append((distance, order[Int(position)]))
    }
}

/// Raw views of a tree used during queries.
struct Search {
    let nodes: UnsafeBufferPointer<KDTree.Node>
    let points: UnsafeBufferPointer<Float>
    let order: UnsafeBufferPointer<Int32>

    /// Deepest stack a median-split tree over fewer than 2^31 points can need.
    static let stackCapacity = 64

    /// Collects the answer to `query` at `point` and appends it to `table`.
    func answer(_ query: KDTree.Query, at point: SIMD3<Float>, scratch: inout SearchScratch, into table: inout NeighborTable) {
        switch query {
        case let .nearest(_, radiusSquared):
            scratch.distances.withUnsafeMutableBufferPointer { d in
                scratch.positions.withUnsafeMutableBufferPointer { p in
                    scratch.indices.withUnsafeMutableBufferPointer { i in
                        var collector = NearestCollector(
                            capacity: d.count, radiusSquared: radiusSquared,
                            distances: d.baseAddress!, positions: p.baseAddress!, order: order)
                        if collector.capacity > 0 { traverse(point, &collector) }
                        for j in 0..<collector.count { i[j] = order[Int(p[j])] }
                        table.append(
                            indices: UnsafeBufferPointer(rebasing: i[0..<collector.count]),
                            squaredDistances: UnsafeBufferPointer(rebasing: d[0..<collector.count]))
                    }
                }
            }
        case let .within(radiusSquared):
            var collector = RadiusCollector(bound: radiusSquared, order: order, pairs: scratch.pairs)
            collector.pairs.removeAll(keepingCapacity: true)
            scratch.pairs = []
            traverse(point, &collector)
            collector.pairs.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.index < $1.index) }
            table.indices.append(contentsOf: collector.pairs.lazy.map(\.index))
            table.squaredDistances.append(contentsOf: collector.pairs.lazy.map(\.distance))
            table.offsets.append(table.indices.count)
            scratch.pairs = collector.pairs
        }
    }

    /// Depth-first traversal, nearer child first, pruning subtrees whose splitting plane is
    /// farther than the visitor's bound. Distances are `(dx² + dy²) + dz²` in `Float`, exactly as
    /// a brute-force scan computes them, and a plane distance never exceeds a point distance beyond it.
    func traverse<Visitor: CandidateVisitor>(_ query: SIMD3<Float>, _ visitor: inout Visitor) {
        guard !nodes.isEmpty else { return }
        withUnsafeTemporaryAllocation(of: (node: Int32, bound: Float).self, capacity: Self.stackCapacity) { stack in
            var top = 1
            stack[0] = (0, 0)
            while top > 0 {
                top -= 1
                let entry = stack[top]
                guard !(entry.bound > visitor.bound) else { continue }
                var node = nodes[Int(entry.node)]
                while !node.isLeaf {
                    let difference = query[Int(node.axis)] - node.split
                    let (near, far) = difference < 0 ? (node.left, node.right) : (node.right, node.left)
                    precondition(top < Self.stackCapacity, "k-d tree deeper than \(Self.stackCapacity)")
                    stack[top] = (far, difference * difference)
                    top += 1
                    node = nodes[Int(near)]
                }
                for position in Int(node.start)..<Int(node.end) {
                    let dx = points[3 * position] - query.x
                    let dy = points[3 * position + 1] - query.y
                    let dz = points[3 * position + 2] - query.z
                    let distance = dx * dx + dy * dy + dz * dz
                    if distance <= visitor.bound { visitor.offer(distance, position: Int32(truncatingIfNeeded: position)) }
                }
            }
        }
    }
}
