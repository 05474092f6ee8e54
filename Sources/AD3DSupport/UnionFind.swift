/// Disjoint sets over `0..<count` with path halving and union by size.
package struct UnionFind {
    private var parent: [Int]
    private var size: [Int]

    /// `count` singleton sets.
    package init(count: Int) {
        parent = Array(0..<count)
        size = [Int](repeating: 1, count: count)
    }

    /// The representative of `element`'s set.
    package mutating func root(of element: Int) -> Int {
        var element = element
        while parent[element] != element {
            parent[element] = parent[parent[element]]
            element = parent[element]
        }
        return element
    }

    /// Merges the sets of `a` and `b`.
    package mutating func join(_ a: Int, _ b: Int) {
        var (rootA, rootB) = (root(of: a), root(of: b))
        guard rootA != rootB else { return }
        if size[rootA] < size[rootB] { swap(&rootA, &rootB) }
        parent[rootB] = rootA
        size[rootA] += size[rootB]
    }
}
