/// The neighbours of one query point, nearest first (ties: lower index first).
public struct Neighbors: Sendable, Equatable {
    /// Indices of the neighbours in the searched cloud.
    public var indices: [Int]
    /// Squared Euclidean distances to the query, ascending.
    public var squaredDistances: [Float]

    /// Creates a neighbour list from matching indices and squared distances.
    public init(indices: [Int], squaredDistances: [Float]) {
        precondition(indices.count == squaredDistances.count, "one distance per neighbour")
        self.indices = indices
        self.squaredDistances = squaredDistances
    }
}

/// Neighbours of many query points in one compact ragged table: the neighbours of query `q`
/// occupy `offsets[q]..<offsets[q + 1]` of `indices` and `squaredDistances`.
public struct NeighborTable: Sendable, Equatable {
    /// Start of each query's neighbours, plus a final end offset (`queryCount + 1` entries).
    public var offsets: [Int]
    /// Neighbour indices of all queries, concatenated.
    public var indices: [Int32]
    /// Squared distances matching `indices`.
    public var squaredDistances: [Float]

    /// Number of queries.
    public var queryCount: Int { offsets.count - 1 }

    /// The neighbours of query `query`.
    public func neighbors(of query: Int) -> Neighbors {
        let range = offsets[query]..<offsets[query + 1]
        return Neighbors(indices: indices[range].map(Int.init), squaredDistances: Array(squaredDistances[range]))
    }

    /// The `count` queries whose first neighbour is closest, closest first (one-neighbour tables:
    /// the correspondences a trimmed ICP step keeps); every query, in query order, when `count`
    /// keeps them all.
    public func queriesClosestFirst(keeping count: Int) -> ArraySlice<Int> {
        guard count < queryCount else { return ArraySlice(0..<queryCount) }
        return (0..<queryCount).sorted { squaredDistances[offsets[$0]] < squaredDistances[offsets[$1]] }.prefix(count)
    }

    /// Concatenates per-chunk tables of consecutive query ranges.
    init(concatenating parts: [NeighborTable]) {
        offsets = [0]
        offsets.reserveCapacity(parts.reduce(1) { $0 + $1.queryCount })
        indices = []
        indices.reserveCapacity(parts.reduce(0) { $0 + $1.indices.count })
        squaredDistances = []
        squaredDistances.reserveCapacity(indices.capacity)
        for part in parts {
            let base = indices.count
            offsets += part.offsets.dropFirst().map { $0 + base }
            indices += part.indices
            squaredDistances += part.squaredDistances
        }
    }

    /// An empty table that queries are appended to.
    init() {
        offsets = [0]
        indices = []
        squaredDistances = []
    }

    /// Appends the next query's neighbours.
    mutating func append(indices newIndices: UnsafeBufferPointer<Int32>, squaredDistances newDistances: UnsafeBufferPointer<Float>) {
        indices.append(contentsOf: newIndices)
        squaredDistances.append(contentsOf: newDistances)
        offsets.append(indices.count)
    }
}
