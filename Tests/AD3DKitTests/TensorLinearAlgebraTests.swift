import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor

@Suite struct TensorLinearAlgebraTests {
    /// Row-major `rows × columns` matrix of standard-normal values.
    static func randomMatrix(_ rows: Int, _ columns: Int, seed: UInt64) -> [Float] {
        Tensor.gaussian([rows, columns], seed: seed).storage
    }

    /// `Mᵀ · M` for a row-major `rows × columns` matrix, as a Tensor (naive loop).
    static func gram(_ m: [Float], rows: Int, columns: Int) -> Tensor {
        let t = Tensor(shape: [rows, columns], storage: m)
        return naiveProduct(t, t, transposeA: true, transposeB: false)
    }

    static func identity(_ n: Int) -> Tensor {
        Tensor.build([n, n]) { $0[0] == $0[1] ? 1 : 0 }
    }

    @Test(arguments: [3, 6])
    func symmetricEigenSatisfiesDefinition(n: Int) throws {
        let r = Self.randomMatrix(n, n, seed: 51)
        let a = Tensor.build([n, n]) { (r[$0[0] * n + $0[1]] + r[$0[1] * n + $0[0]]) / 2 }
        let (values, vectors) = try #require(LinearAlgebra.symmetricEigen(a.storage, n: n))
        #expect(values == values.sorted())
        let v = Tensor(shape: [n, n], storage: vectors)
        expectClose(Self.gram(vectors, rows: n, columns: n), Self.identity(n), rtol: 0, atol: 1e-5)
        let av = naiveProduct(a, v, transposeA: false, transposeB: false)
        let vLambda = Tensor.build([n, n]) { v.element($0) * values[$0[1]] }
        expectClose(av, vLambda, rtol: 1e-4, atol: 1e-5)
    }

    @Test(arguments: [[5, 3], [3, 5], [4, 4], [1, 6]])
    func thinSVDReconstructsWithOrthonormalFactors(size: [Int]) throws {
        let (m, n) = (size[0], size[1]), k = min(m, n)
        let a = Self.randomMatrix(m, n, seed: 52)
        let (u, s, vt) = try #require(LinearAlgebra.thinSVD(a, rows: m, columns: n))
        #expect(u.count == m * k && s.count == k && vt.count == k * n)
        #expect(s == s.sorted(by: >) && s.allSatisfy { $0 >= 0 })
        let reconstructed = Tensor.build([m, n]) { ij in
            (0..<k).reduce(Float(0)) { $0 + u[ij[0] * k + $1] * s[$1] * vt[$1 * n + ij[1]] }
        }
        expectClose(reconstructed, Tensor(shape: [m, n], storage: a), rtol: 1e-4, atol: 1e-5)
        expectClose(Self.gram(u, rows: m, columns: k), Self.identity(k), rtol: 0, atol: 1e-5)
        let vtTensor = Tensor(shape: [k, n], storage: vt)
        expectClose(naiveProduct(vtTensor, vtTensor, transposeA: false, transposeB: true), Self.identity(k), rtol: 0, atol: 1e-5)
    }

    /// A random proper rotation from a normalised Gaussian quaternion, row-major.
    static func randomRotation(seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        var q = SIMD4<Float>(g.nextGaussian(), g.nextGaussian(), g.nextGaussian(), g.nextGaussian())
        q /= (q * q).sum().squareRoot()
        let (w, x, y, z) = (q[0], q[1], q[2], q[3])
        return [
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        ]
    }

    @Test(arguments: [(60, false), (40, true), (3, false)])
    func rigidAlignmentRecoversKnownMotion(count: Int, planar: Bool) throws {
        var source = Tensor.gaussian([count, 3], seed: 53).storage
        // Planar sets leave a zero singular value, where an unfixed Kabsch may return a reflection.
        if planar { for i in stride(from: 2, to: source.count, by: 3) { source[i] = 0 } }
        let truth = RigidTransform(rotation: Self.randomRotation(seed: 54), translation: SIMD3(3, -1, 0.5))
        let target = truth.apply(toCoordinates: source)
        let found = try #require(LinearAlgebra.rigidAlignment(from: source, to: target))
        expectClose(found.rotation, truth.rotation, rtol: 0, atol: 1e-4)
        expectClose([found.translation.x, found.translation.y, found.translation.z], [3, -1, 0.5], rtol: 0, atol: 1e-4)
        expectClose(found.apply(toCoordinates: source), target, rtol: 0, atol: 1e-4)
    }

    @Test func rigidAlignmentNeverReturnsAReflection() throws {
        // The target is a mirror image, so the best orthogonal map is a reflection (det -1);
        // the Kabsch fix must still return a proper rotation.
        let source = Tensor.gaussian([30, 3], seed: 55).storage
        var target = source
        for i in stride(from: 0, to: target.count, by: 3) { target[i] = -target[i] }
        let r = try #require(LinearAlgebra.rigidAlignment(from: source, to: target)).rotation
        let det = r[0] * (r[4] * r[8] - r[5] * r[7]) - r[1] * (r[3] * r[8] - r[5] * r[6]) + r[2] * (r[3] * r[7] - r[4] * r[6])
        expectClose(det, 1, rtol: 0, atol: 1e-4)
        let rt = Tensor(shape: [3, 3], storage: r)
        expectClose(naiveProduct(rt, rt, transposeA: true, transposeB: false), Self.identity(3), rtol: 0, atol: 1e-5)
    }

    @Test func smallSystemsSolveToTheirRightHandSide() throws {
        // A diagonally dominated random 6 × 6 system; the residual A·x − b is computed naively.
        let n = 6
        var a = Tensor.gaussian([n, n], seed: 56).storage.map(Double.init)
        for i in 0..<n { a[i * n + i] += 4 }
        let b = Tensor.gaussian([n], seed: 57).storage.map(Double.init)
        let x = try #require(LinearAlgebra.solve(a, b, n: n))
        for row in 0..<n {
            let product = (0..<n).reduce(0.0) { $0 + a[row * n + $1] * x[$1] }
            #expect(abs(product - b[row]) < 1e-9)
        }
        // A zero first column needs a row swap; a repeated row makes the matrix singular.
        #expect(try #require(LinearAlgebra.solve([0, 1, 1, 0], [2, 3], n: 2)) == [3, 2])
        #expect(LinearAlgebra.solve([1, 2, 2, 4], [1, 1], n: 2) == nil)
    }

    @Test func followedByAppliesTheFirstMotionThenTheSecond() {
        let first = RigidTransform(rotation: Self.randomRotation(seed: 58), translation: SIMD3(1, -2, 3))
        let second = RigidTransform(rotation: Self.randomRotation(seed: 59), translation: SIMD3(-0.5, 4, 2))
        let points = Tensor.gaussian([20, 3], seed: 60).storage
        expectClose(
            first.followed(by: second).apply(toCoordinates: points), second.apply(toCoordinates: first.apply(toCoordinates: points)),
            rtol: 0, atol: 1e-5)
    }
}
