import CBLAS

extension LinearAlgebra {
    /// Thin singular value decomposition `A = U · diag(S) · Vᵀ` of a row-major `rows × columns`
    /// matrix by LAPACKE `sgesdd`. With `k = min(rows, columns)`: `u` is row-major `rows × k`,
    /// `singularValues` has `k` entries in descending order, `vt` is row-major `k × columns`.
    /// Returns nil if LAPACK reports failure (e.g. non-finite input).
    public static func thinSVD(
        _ matrix: [Float], rows: Int, columns: Int
    ) -> (u: [Float], singularValues: [Float], vt: [Float])? {
        precondition(rows >= 0 && columns >= 0, "thinSVD needs non-negative dimensions")
        precondition(matrix.count == rows * columns, "thinSVD expects \(rows * columns) values, got \(matrix.count)")
        let k = min(rows, columns)
        guard k > 0 else { return ([], [], []) }
        var a = matrix
        var s = [Float](repeating: 0, count: k)
        var u = [Float](repeating: 0, count: rows * k)
        var vt = [Float](repeating: 0, count: k * columns)
        let info = a.withUnsafeMutableBufferPointer { ap in
            s.withUnsafeMutableBufferPointer { sp in
                u.withUnsafeMutableBufferPointer { up in
                    vt.withUnsafeMutableBufferPointer { vp in
                        LAPACKE_sgesdd(
                            LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "S")), blasInt(rows), blasInt(columns),
                            ap.baseAddress, blasInt(columns), sp.baseAddress,
                            up.baseAddress, blasInt(k), vp.baseAddress, blasInt(columns))
                    }
                }
            }
        }
        return info == 0 ? (u, s, vt) : nil
    }
}
