/// The three matrix products backpropagation needs, each parallel over the result's rows when
/// the work pays for a second thread.
extension Matrix {
    /// Multiply-adds below which one thread is faster than two.
    static let parallelThreshold = 200_000

    /// a·bᵀ: result[i, j] = Σ_k a[i, k]·b[j, k] (a layer's forward pass, with weights out × in).
    static func product(_ a: Matrix, transposing b: Matrix) -> Matrix {
        precondition(a.columns == b.columns, "a·bᵀ needs equal column counts")
        var result = Matrix(rows: a.rows, columns: b.rows)
        let inner = a.columns
        forEachRowChunk(result.rows, work: a.rows * b.rows * inner, of: &result) { range, out in
            a.values.withUnsafeBufferPointer { aBuffer in
                b.values.withUnsafeBufferPointer { bBuffer in
                    guard let aBase = aBuffer.baseAddress, let bBase = bBuffer.baseAddress else { return }
                    for i in range {
                        for j in 0..<b.rows { out[i * b.rows + j] = Kernels.dot(aBase + i * inner, bBase + j * inner, inner) }
                    }
                }
            }
        }
        return result
    }

    /// a·b: result[i, j] = Σ_k a[i, k]·b[k, j] (the gradient with respect to a layer's input).
    static func product(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.columns == b.rows, "a·b needs a's columns to equal b's rows")
        var result = Matrix(rows: a.rows, columns: b.columns)
        let (inner, width) = (a.columns, b.columns)
        forEachRowChunk(result.rows, work: a.rows * inner * width, of: &result) { range, out in
            a.values.withUnsafeBufferPointer { aBuffer in
                b.values.withUnsafeBufferPointer { bBuffer in
                    guard let bBase = bBuffer.baseAddress else { return }
                    for i in range {
                        for k in 0..<inner {
                            let scale = aBuffer[i * inner + k]
                            if scale != 0 { Kernels.axpy(scale, bBase + k * width, out + i * width, width) }
                        }
                    }
                }
            }
        }
        return result
    }

    /// result += aᵀ·b: result[i, j] += Σ_k a[k, i]·b[k, j] (the gradient of a layer's weights).
    static func accumulateProduct(transposing a: Matrix, _ b: Matrix, into result: inout Matrix) {
        precondition(a.rows == b.rows && result.rows == a.columns && result.columns == b.columns, "aᵀ·b shapes disagree")
        let (count, width, height) = (a.rows, b.columns, a.columns)
        forEachRowChunk(height, work: count * height * width, of: &result) { range, out in
            a.values.withUnsafeBufferPointer { aBuffer in
                b.values.withUnsafeBufferPointer { bBuffer in
                    guard let bBase = bBuffer.baseAddress else { return }
                    for k in 0..<count {
                        for i in range {
                            let scale = aBuffer[k * height + i]
                            if scale != 0 { Kernels.axpy(scale, bBase + k * width, out + i * width, width) }
                        }
                    }
                }
            }
        }
    }

    /// Runs `body(rows, output)` over chunks of the result's rows, on two threads when `work`
    /// (multiply-adds) is large enough. Each chunk writes only its own rows of `result`.
    private static func forEachRowChunk(
        _ rows: Int,
        work: Int,
        of result: inout Matrix,
        _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
    ) {
        result.values.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Sound: chunks cover disjoint row ranges, so no two threads write the same index.
            let output = DisjointWrites(base: base)
            if work < parallelThreshold || rows < 2 {
                body(0..<rows, output.base)
            } else {
                Parallel.forEachChunk(rows, minimumChunk: max(1, rows / 2)) { _, range in body(range, output.base) }
            }
        }
    }
}
