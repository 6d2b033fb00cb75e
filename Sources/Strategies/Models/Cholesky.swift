/// The inverse of a symmetric positive-definite matrix through its Cholesky factor
/// G = L·Lᵀ: each column of G⁻¹ solves L·y = e_j then Lᵀ·x = y. Columns run in parallel.
enum Cholesky {
    /// The lower factor L of row-major `matrix` (n × n), or nil when it is not positive definite.
    static func factor(_ matrix: [Double], n: Int) -> [Double]? {
        var lower = [Double](repeating: 0, count: n * n)
        var positiveDefinite = true
        lower.withUnsafeMutableBufferPointer { buffer in
            guard let l = buffer.baseAddress else { return }
            for j in 0..<n {
                let diagonal = matrix[j * n + j] - VectorMath.dot(l + j * n, l + j * n, j)
                guard diagonal > 0 else {
                    positiveDefinite = false
                    return
                }
                let pivot = diagonal.squareRoot()
                l[j * n + j] = pivot
                // Rows below j: each chunk writes only column j of its own rows.
                let shared = DisjointWrites(base: l)
                Parallel.forEachChunk(n - j - 1, minimumChunk: 256) { _, range in
                    for offset in range {
                        let i = j + 1 + offset
                        let row = shared.base + i * n
                        row[j] = (matrix[i * n + j] - VectorMath.dot(row, shared.base + j * n, j)) / pivot
                    }
                }
            }
        }
        return positiveDefinite ? lower : nil
    }

    /// G⁻¹ for symmetric positive-definite row-major `matrix`, or nil when it is not.
    static func inverse(_ matrix: [Double], n: Int) -> [Double]? {
        factor(matrix, n: n).map { inverse(lower: $0, n: n) }
    }

    /// G⁻¹ from G's lower Cholesky factor. Both triangular solves read rows of L only (the
    /// back substitution in column-oriented form), so no transposed copy is needed.
    static func inverse(lower: [Double], n: Int) -> [Double] {
        var result = [Double](repeating: 0, count: n * n)
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Column j of G⁻¹ (= row j, by symmetry) is written only by the chunk owning j.
            let shared = DisjointWrites(base: base)
            Parallel.forEachChunk(n, minimumChunk: 32) { _, range in
                lower.withUnsafeBufferPointer { lBuffer in
                    guard let l = lBuffer.baseAddress else { return }
                    for j in range {
                        let x = shared.base + j * n
                        // L·y = e_j: y is zero above j.
                        for i in j..<n {
                            let rhs: Double = i == j ? 1 : 0
                            x[i] = (rhs - VectorMath.dot(l + i * n + j, x + j, i - j)) / l[i * n + i]
                        }
                        // Lᵀ·x = y, last unknown first: x_k = y_k / L_kk, then y_i −= L_ki·x_k for i < k.
                        for k in stride(from: n - 1, through: 0, by: -1) {
                            x[k] /= l[k * n + k]
                            VectorMath.axpy(-x[k], l + k * n, x, k)
                        }
                    }
                }
            }
        }
        return result
    }
}
