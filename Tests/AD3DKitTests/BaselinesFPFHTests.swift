import Foundation
import Testing
import AD3DKit
@testable import AD3DSupport
@testable import AD3DPointCloud

/// A brute-force FPFH written from the definition (Rusu et al. 2009, with Open3D's conventions):
/// O(N²) neighbour search, Darboux frame in Rusu's orientation, plain arrays.
enum FPFHReference {
    /// Up to `maxNeighbors` points within `radius` of point `i`, nearest first (ties: lower index).
    static func neighbors(of i: Int, in cloud: PointCloud, radius: Float, maxNeighbors: Int) -> [Int] {
        let limit = radius * radius
        var pairs: [(distance: Float, index: Int)] = []
        for j in 0..<cloud.count {
            let distance = SamplingReference.squaredDistance(cloud[i], cloud[j])
            if distance <= limit { pairs.append((distance, j)) }
        }
        pairs.sort { a, b in a.distance < b.distance || (a.distance == b.distance && a.index < b.index) }
        return pairs.prefix(maxNeighbors).map(\.index)
    }

    /// Bins (θ, α, φ) of the pair (p, q). Rusu's frame is u = n_s, v = u × d̂, w = u × v with
    /// α = v·n_t, φ = u·d̂, θ = atan2(w·n_t, u·n_t); Open3D builds v = d × n_s = −v_Rusu (so w
    /// flips too), which negates α and θ. The source is the point whose normal is more aligned
    /// with the connecting line.
    static func bins(_ p: SIMD3<Double>, _ np: SIMD3<Double>, _ q: SIMD3<Double>, _ nq: SIMD3<Double>) -> (Int, Int, Int) {
        func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
        func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
            SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
        }
        func bin(_ x: Double, _ lo: Double, _ hi: Double) -> Int { min(10, max(0, Int(floor(11 * (x - lo) / (hi - lo))))) }
        let length = dot(q - p, q - p).squareRoot()
        var (alpha, phi, theta) = (0.0, 0.0, 0.0)
        if length > 0 {
            let keep = abs(dot(np, q - p)) >= abs(dot(nq, q - p))
            let (ps, ns, pt, nt) = keep ? (p, np, q, nq) : (q, nq, p, np)
            let d = (pt - ps) / length
            let v = cross(ns, d)
            let vLength = dot(v, v).squareRoot()
            if vLength > 0 {
                let vUnit = v / vLength
                let w = cross(ns, vUnit)
                alpha = -dot(vUnit, nt)
                phi = dot(ns, d)
                theta = -atan2(dot(w, nt), dot(ns, nt))
            }
        }
        return (bin(theta, -.pi, .pi), bin(alpha, -1, 1), bin(phi, -1, 1))
    }

    /// `[N][33]` FPFH of `cloud` with `normals`.
    static func features(_ cloud: PointCloud, normals: [Float], radius: Float, maxNeighbors: Int) -> [[Double]] {
        let n = cloud.count
        func point(_ i: Int) -> SIMD3<Double> { SIMD3<Double>(cloud[i]) }
        func normal(_ i: Int) -> SIMD3<Double> {
            SIMD3(Double(normals[3 * i]), Double(normals[3 * i + 1]), Double(normals[3 * i + 2]))
        }
        let neighborhoods = (0..<n).map { neighbors(of: $0, in: cloud, radius: radius, maxNeighbors: maxNeighbors) }
        var spfh = [[Double]](repeating: [Double](repeating: 0, count: 33), count: n)
        for i in 0..<n where neighborhoods[i].count > 1 {
            let others = neighborhoods[i].dropFirst()
            for j in others {
                let (b0, b1, b2) = bins(point(i), normal(i), point(j), normal(j))
                spfh[i][b0] += 100 / Double(others.count)
                spfh[i][11 + b1] += 100 / Double(others.count)
                spfh[i][22 + b2] += 100 / Double(others.count)
            }
        }
        var fpfh = [[Double]](repeating: [Double](repeating: 0, count: 33), count: n)
        for i in 0..<n where neighborhoods[i].count > 1 {
            var weighted = [Double](repeating: 0, count: 33)
            for j in neighborhoods[i].dropFirst() {
                let squared = ((point(j) - point(i)) * (point(j) - point(i))).sum()
                if squared == 0 { continue }
                for b in 0..<33 { weighted[b] += spfh[j][b] / squared }
            }
            for part in 0..<3 {
                let total = weighted[(11 * part)..<(11 * part + 11)].reduce(0, +)
                for b in (11 * part)..<(11 * part + 11) {
                    fpfh[i][b] = spfh[i][b] + (total == 0 ? weighted[b] : 100 * weighted[b] / total)
                }
            }
        }
        return fpfh
    }

    /// A bumpy sphere of `count` jittered points with unit normals from PCA (any sign) – test input.
    static func bumpySphere(count: Int, seed: UInt64) throws -> (cloud: PointCloud, normals: [Float]) {
        var generator = SeededGenerator(seed: seed)
        var points = [SIMD3<Float>]()
        for _ in 0..<count {
            var d = SIMD3(generator.nextGaussian(), generator.nextGaussian(), generator.nextGaussian())
            d /= (d * d).sum().squareRoot()
            points.append(d * (1 + 0.1 * sin(3 * d.x) * cos(2 * d.y)))
        }
        let cloud = PointCloud(points: points)
        let normals = try FPFHNormalEstimation(radius: 0.4, maxNeighbors: 30).normals(of: cloud, tree: KDTree(cloud))
        return (cloud, normals)
    }
}

@Suite("Baselines: FPFH")
struct BaselinesFPFHTests {
    @Test("FPFH equals a brute-force reference on a 300-point cloud")
    func matchesBruteForce() throws {
        let (cloud, normals) = try FPFHReference.bumpySphere(count: 300, seed: 11)
        let fpfh = FPFH(radius: 0.5, maxNeighbors: 25)
        let features = try fpfh.features(of: cloud, normals: normals, tree: KDTree(cloud))
        let reference = FPFHReference.features(cloud, normals: normals, radius: 0.5, maxNeighbors: 25)
        #expect(features.shape == [300, 33])
        expectClose(features.storage, reference.flatMap { $0.map(Float.init) }, rtol: 1e-5, atol: 1e-4)
    }

    @Test("rotating and translating the cloud with its normals leaves FPFH unchanged")
    func rigidMotionInvariance() throws {
        let (cloud, normals) = try FPFHReference.bumpySphere(count: 300, seed: 12)
        let rotation = rodriguesRotation(axis: SIMD3(0.3, -0.8, 0.5), angle: 1.1)
        let offset = SIMD3<Float>(5, -2, 0.5)
        let moved = PointCloud(points: (0..<cloud.count).map { rotation(cloud[$0]) + offset })
        let movedNormals = (0..<cloud.count).flatMap { i -> [Float] in
            let n = rotation(SIMD3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]))
            return [n.x, n.y, n.z]
        }
        let fpfh = FPFH(radius: 0.5, maxNeighbors: 40)
        let original = try fpfh.features(of: cloud, normals: normals, tree: KDTree(cloud))
        let transformed = try fpfh.features(of: moved, normals: movedNormals, tree: KDTree(moved))
        expectClose(transformed, original, rtol: 1e-3, atol: 1e-2)
    }

    @Test("each 11-bin part sums to 200 (SPFH 100 + normalised neighbours 100); isolated points are zero")
    func histogramSums() throws {
        var (cloud, normals) = try FPFHReference.bumpySphere(count: 200, seed: 13)
        cloud = PointCloud(coordinates: cloud.coordinates + [10, 10, 10])
        normals += [0, 0, 1]
        let features = try FPFH(radius: 0.5, maxNeighbors: 30).features(of: cloud, normals: normals, tree: KDTree(cloud))
        for i in 0..<cloud.count {
            let row = Array(features.storage[(33 * i)..<(33 * i + 33)])
            let sums = (0..<3).map { part in row[(11 * part)..<(11 * part + 11)].reduce(0, +) }
            expectClose(sums, [Float](repeating: i == cloud.count - 1 ? 0 : 200, count: 3), rtol: 1e-5, atol: 1e-3)
            #expect(row.allSatisfy { $0 >= 0 })
        }
    }

    @Test("pair features: a hand-computed configuration and the coincident-point rule")
    func pairFeatures() {
        // p1 at the origin with normal +z, p2 at (1, 0, 0) with normal tilted 45° toward +x.
        let s = 0.5.squareRoot()
        let f = FPFH.pairFeatures(.zero, SIMD3(0, 0, 1), SIMD3(1, 0, 0), SIMD3(s, 0, s))
        // |n1·d| = 0 < |n2·d| = s, so p2 is the source: d = (−1, 0, 0), φ = −n2·(p2−p1) = −s,
        // v = d × n2 = (0, s, 0)/s = (0, 1, 0), w = n2 × v = (−s, 0, s), α = v·n1 = 0,
        // θ = atan2(w·n1, n2·n1) = atan2(s, s) = π/4.
        #expect(abs(f.phi + s) < 1e-12 && abs(f.alpha) < 1e-12 && abs(f.theta - .pi / 4) < 1e-12 && f.distance == 1)
        let coincident = FPFH.pairFeatures(SIMD3(1, 2, 3), SIMD3(0, 0, 1), SIMD3(1, 2, 3), SIMD3(1, 0, 0))
        #expect(coincident == (0, 0, 0, 0))
    }

    @Test("invalid radius or neighbour count throws")
    func invalidParameters() throws {
        let cloud = SamplingReference.uniformCloud(count: 10, seed: 1)
        let tree = try KDTree(cloud)
        let normals = [Float](repeating: 0, count: 30)
        #expect(throws: BaselineError.self) { try FPFH(radius: 0, maxNeighbors: 10).features(of: cloud, normals: normals, tree: tree) }
        #expect(throws: BaselineError.self) { try FPFH(radius: 1, maxNeighbors: 1).features(of: cloud, normals: normals, tree: tree) }
        #expect(throws: BaselineError.self) { try FPFHNormalEstimation(radius: .nan, maxNeighbors: 10).normals(of: cloud, tree: tree) }
    }
}

/// Rotation about a unit axis (Rodrigues), applied in `Float`.
func rodriguesRotation(axis: SIMD3<Float>, angle: Float) -> (SIMD3<Float>) -> SIMD3<Float> {
    let k = axis / (axis * axis).sum().squareRoot()
    let c = cos(angle), s = sin(angle)
    return { v in
        let kxv = SIMD3(k.y * v.z - k.z * v.y, k.z * v.x - k.x * v.z, k.x * v.y - k.y * v.x)
        return v * c + kxv * s + k * ((k * v).sum() * (1 - c))
    }
}
