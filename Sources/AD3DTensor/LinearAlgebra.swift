import CBLAS

/// Dense linear algebra through LAPACKE.
public enum LinearAlgebra {
    /// Eigen-decomposition of a symmetric `n × n` matrix (row-major; only the upper triangle is read)
    /// by LAPACKE `ssyevd`. Returns eigenvalues in ascending order and the matching unit eigenvectors
    /// as the **columns** of a row-major `n × n` matrix. Returns nil if LAPACK reports failure.
    public static func symmetricEigen(_ matrix: [Float], n: Int) -> (values: [Float], vectors: [Float])? {
        precondition(matrix.count == n * n, "symmetricEigen expects \(n * n) values, got \(matrix.count)")
        guard n > 0 else { return ([], []) }
        var a = matrix
        var w = [Float](repeating: 0, count: n)
        let info = a.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_ssyevd(
                    LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "U")),
                    Int32(n), ap.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        return info == 0 ? (w, a) : nil
    }
}
