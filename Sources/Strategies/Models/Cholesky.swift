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
        guard let lower = factor(matrix, n: n) else { return nil }
        var transposed = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { transposed[j * n + i] = lower[i * n + j] } }
        let upper = transposed
        var result = [Double](repeating: 0, count: n * n)
        result.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Column j of G⁻¹ (= row j, by symmetry) is written only by the chunk owning j.
            let shared = DisjointWrites(base: base)
            Parallel.forEachChunk(n, minimumChunk: 32) { _, range in
                var y = [Double](repeating: 0, count: n)
                lower.withUnsafeBufferPointer { lBuffer in
                    upper.withUnsafeBufferPointer { uBuffer in
                        y.withUnsafeMutableBufferPointer { yBuffer in
                            guard let l = lBuffer.baseAddress, let u = uBuffer.baseAddress, let yy = yBuffer.baseAddress else { return }
                            for j in range {
                                for i in 0..<n { yy[i] = 0 }
                                // L·y = e_j: y is zero above j.
                                for i in j..<n {
                                    let rhs: Double = i == j ? 1 : 0
                                    yy[i] = (rhs - VectorMath.dot(l + i * n + j, yy + j, i - j)) / l[i * n + i]
                                }
                                // Lᵀ·x = y, into row j of the result.
                                let x = shared.base + j * n
                                for i in stride(from: n - 1, through: 0, by: -1) {
                                    x[i] = (yy[i] - VectorMath.dot(u + i * n + i + 1, x + i + 1, n - i - 1)) / u[i * n + i]
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }
}
