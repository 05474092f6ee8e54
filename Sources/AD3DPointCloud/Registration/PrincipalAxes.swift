import AD3DTensor

/// A cloud's centroid and the eigenvectors of its covariance, longest axis first: a frame that
/// turns with the cloud, up to the sign and (for equal extents) the order of its axes.
package struct PrincipalAxes {
    /// The mean point.
    let centroid: SIMD3<Double>
    /// Unit axes, by decreasing variance, right-handed (the third is the cross product of the first two).
    let axes: [SIMD3<Double>]
    /// The variance along each axis, decreasing.
    let variances: [Double]
    /// Largest ratio of two neighbouring variances at which they count as equal (`roundAxis`).
    static let roundness = 1.15

    /// The axes of `cloud` (non-empty), accumulated in Double.
    package init(of cloud: PointCloud) {
        let mean = cloud.exactCentroid
        var (xx, xy, xz, yy, yz, zz) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        for i in 0..<cloud.count {
            let d = SIMD3<Double>(cloud[i]) - mean
            xx += d.x * d.x; xy += d.x * d.y; xz += d.x * d.z
            yy += d.y * d.y; yz += d.y * d.z; zz += d.z * d.z
        }
        let eigen = SymmetricEigen3(xx: xx, xy: xy, xz: xz, yy: yy, yz: yz, zz: zz)
        centroid = mean
        variances = [eigen.values.z, eigen.values.y, eigen.values.x]
        let (first, second) = (eigen.vectors.2, eigen.vectors.1)
        axes = [first, second, SIMD3(
            first.y * second.z - first.z * second.y, first.z * second.x - first.x * second.z, first.x * second.y - first.y * second.x)]
    }

    /// The axis about which the cloud is about round — the other two variances equal within
    /// `roundness` (a disc, a flange, a gear: the third; a shaft: the first) — or nil. Its other
    /// two axes are then arbitrary directions in their plane.
    var roundAxis: Int? {
        if variances[1] > 0, variances[0] / variances[1] < Self.roundness { return 2 }
        if variances[2] > 0, variances[1] / variances[2] < Self.roundness { return 0 }
        return nil
    }


    /// Turns about a round frame's axis tried from each way of laying the axes on it.
    static let roundTurns = 24

    /// Motions taking a cloud with axes `other` onto this frame, to start a local fit from: every
    /// proper way of matching the axes; when both are round about the same axis (a flange, a gear),
    /// whose other two axes are arbitrary, the two ways of laying that axis on this one instead,
    /// each followed by `roundTurns` even turns about it.
    package func startingMotions(from other: PrincipalAxes) -> [RigidTransform] {
        guard let round = roundAxis, other.roundAxis == round else {
            return Self.properMatchings.map { transform(from: other, matching: $0) }
        }
        var layings = [RigidTransform]()
        for sign in [1.0, -1.0] {
            if let matching = Self.properMatchings.first(where: { $0[round].axis == round && $0[round].sign == sign }) {
                layings.append(transform(from: other, matching: matching))
            }
        }
        let axis = SIMD3<Float>(axes[round]), center = SIMD3<Float>(centroid)
        return layings.flatMap { laying in
            (0..<Self.roundTurns).map { k in
                let turn = RigidTransform(axis: axis, angle: 2 * .pi * Float(k) / Float(Self.roundTurns))
                return laying.followed(by: RigidTransform(rotation: turn.rotation, translation: center - turn.rotate(center)))
            }
        }
    }

    /// The 24 signed permutations with determinant +1: `matching[i] = (j, s)` sends this frame's
    /// axis `i` to `s` times the other frame's axis `j`.
    static let properMatchings: [[(axis: Int, sign: Double)]] = {
        let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var matchings = [[(axis: Int, sign: Double)]]()
        for permutation in permutations {
            let parity: Double = [[0, 1, 2], [1, 2, 0], [2, 0, 1]].contains(permutation) ? 1 : -1
            for signs in [[1.0, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1], [-1, -1, -1], [-1, 1, 1], [1, -1, 1], [1, 1, -1]]
            where signs[0] * signs[1] * signs[2] == parity {
                matchings.append((0..<3).map { (axis: permutation[$0], sign: signs[$0]) })
            }
        }
        return matchings
    }()

    /// The rigid motion taking `other`'s frame onto this one when this frame's axis `i` is matched
    /// to `matching[i].sign` times `other`'s axis `matching[i].axis`: R = Σᵢ aᵢ (sᵢ bⱼ)ᵀ.
    func transform(from other: PrincipalAxes, matching: [(axis: Int, sign: Double)]) -> RigidTransform {
        var rotation = [Double](repeating: 0, count: 9)
        for (i, match) in matching.enumerated() {
            let a = axes[i], b = other.axes[match.axis] * match.sign
            for r in 0..<3 {
                for c in 0..<3 { rotation[3 * r + c] += a[r] * b[c] }
            }
        }
        var moved = SIMD3<Double>.zero
        for r in 0..<3 {
            moved[r] = rotation[3 * r] * other.centroid.x + rotation[3 * r + 1] * other.centroid.y + rotation[3 * r + 2] * other.centroid.z
        }
        return RigidTransform(rotation: rotation.map { Float($0) }, translation: SIMD3<Float>(centroid - moved))
    }
}
