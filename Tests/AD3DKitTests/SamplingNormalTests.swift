import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DTensor
@testable import AD3DPointCloud

@Suite struct SamplingNormalTests {
    /// Random points on the plane z = 0.5x − 0.2y + 1.
    static func planeCloud() -> (cloud: PointCloud, normal: SIMD3<Float>) {
        var generator = SeededGenerator(seed: 17)
        let points = (0..<1500).map { _ -> SIMD3<Float> in
            let x = generator.nextUnitFloat() * 4 - 2, y = generator.nextUnitFloat() * 4 - 2
            return SIMD3(x, y, 0.5 * x - 0.2 * y + 1)
        }
        let normal = SIMD3<Float>(-0.5, 0.2, 1)
        return (PointCloud(points: points), normal / (normal * normal).sum().squareRoot())
    }

    /// Random points on the sphere of radius 2 around (1, −1, 0.5).
    static func sphereCloud() -> (cloud: PointCloud, center: SIMD3<Float>) {
        var generator = SeededGenerator(seed: 23)
        let center = SIMD3<Float>(1, -1, 0.5)
        let points = (0..<2000).map { _ -> SIMD3<Float> in
            let d = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            return center + 2 * d / (d * d).sum().squareRoot()
        }
        return (PointCloud(points: points), center)
    }

    static func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }

    @Test(arguments: [NormalEstimation.Neighborhood.nearest(k: 10), .radius(0.4, maxCount: 40)])
    func planeGivesThePlaneNormal(neighborhood: NormalEstimation.Neighborhood) throws {
        let (cloud, normal) = Self.planeCloud()
        let unoriented = try NormalEstimation(neighborhood: neighborhood)(cloud)
        let oriented = try NormalEstimation(neighborhood: neighborhood, orientation: .towards(viewpoint: SIMD3(0, 0, 100)))(cloud)
        for i in 0..<cloud.count {
            #expect(abs(Self.dot(unoriented.normal(at: i), normal)) > 0.9999, "point \(i)")
            #expect(Self.dot(oriented.normal(at: i), normal) > 0.9999, "point \(i)")
            #expect(unoriented.curvatures[i] < 1e-5)
        }
    }

    @Test func sphereGivesOutwardRadialNormals() throws {
        let (cloud, center) = Self.sphereCloud()
        let result = try NormalEstimation(neighborhood: .nearest(k: 12), orientation: .awayFromCentroid)(cloud)
        for i in 0..<cloud.count {
            let radial = (cloud[i] - center) / 2
            #expect(Self.dot(result.normal(at: i), radial) > 0.99, "point \(i)")
            #expect(abs(Self.dot(result.normal(at: i), result.normal(at: i)) - 1) < 1e-5)
            #expect(result.curvatures[i] > 0 && result.curvatures[i] < 0.05)
        }
    }

    @Test func rejectsBadParameters() throws {
        let cloud = SamplingReference.uniformCloud(count: 20, seed: 1)
        #expect(throws: SamplingError.self) { try NormalEstimation(neighborhood: .nearest(k: 2))(cloud) }
        #expect(throws: SamplingError.self) { try NormalEstimation(neighborhood: .radius(0, maxCount: 10))(cloud) }
        #expect(throws: SamplingError.self) { try NormalEstimation(neighborhood: .radius(.nan, maxCount: 10))(cloud) }
        #expect(throws: SamplingError.self) { try NormalEstimation(neighborhood: .radius(1, maxCount: 2))(cloud) }
        #expect(try NormalEstimation()(PointCloud(coordinates: [])).normals.isEmpty)
    }

    /// Symmetric 3×3 matrices: random, plus repeated and zero eigenvalues.
    static func testMatrices() -> [[Double]] {
        var generator = SeededGenerator(seed: 31)
        var matrices = (0..<200).map { _ -> [Double] in
            let m = (0..<9).map { _ in Double(generator.nextGaussian()) }
            return (0..<9).map { (i: Int) -> Double in
                let transposed: Int = 3 * (i % 3) + i / 3
                return (m[i] + m[transposed]) / 2
            }
        }
        matrices += [[0, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 2], [1, 1, 1, 1, 1, 1, 1, 1, 1],
                     [4, 0, 0, 0, 4, 0, 0, 0, 4], [2, 1e-9, 0, 1e-9, 2, 0, 0, 0, -3]]
        return matrices
    }

    @Test func jacobiSolverMatchesLAPACKE() throws {
        for m in Self.testMatrices() {
            let eigen = SymmetricEigen3(xx: m[0], xy: m[1], xz: m[2], yy: m[4], yz: m[5], zz: m[8])
            let reference = try #require(LinearAlgebra.symmetricEigen(m.map(Float.init), n: 3))
            let vectors = [eigen.vectors.0, eigen.vectors.1, eigen.vectors.2]
            let scale = max(1, m.map(abs).max()!)
            for j in 0..<3 {
                #expect(abs(eigen.values[j] - Double(reference.values[j])) < 1e-5 * scale, "\(m)")
                let v = vectors[j]
                let av = SIMD3(
                    (SIMD3(m[0], m[1], m[2]) * v).sum(), (SIMD3(m[3], m[4], m[5]) * v).sum(),
                    (SIMD3(m[6], m[7], m[8]) * v).sum())
                let residual = av - eigen.values[j] * v
                #expect((residual * residual).sum().squareRoot() < 1e-12 * scale, "\(m)")
                for i in 0..<3 { #expect(abs((v * vectors[i]).sum() - (i == j ? 1 : 0)) < 1e-12) }
                let gapBelow = j == 0 ? Double.infinity : eigen.values[j] - eigen.values[j - 1]
                let gapAbove = j == 2 ? Double.infinity : eigen.values[j + 1] - eigen.values[j]
                if min(gapBelow, gapAbove) > 1e-2 * scale {
                    let lapackVector = SIMD3(
                        Double(reference.vectors[j]), Double(reference.vectors[3 + j]), Double(reference.vectors[6 + j]))
                    #expect(abs((v * lapackVector).sum()) > 1 - 1e-5, "\(m)")
                }
            }
        }
    }
}
