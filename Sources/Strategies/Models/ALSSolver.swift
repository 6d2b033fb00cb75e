/// The mathematics of implicit ALS (Hu, Koren and Volinsky 2008) with the conjugate-gradient
/// row solver of the `implicit` library (Takács et al. 2011): for each row x with observed
/// entries (j, r), confidence c = 1 + α·r and preference 1, minimise
/// Σ_j c_j (p_j − x·y_j)² over all columns j (unobserved: c = 1, p = 0) + λ|x|².
enum ALSSolver {
    /// YᵀY + λI for row-major `factors` (rows × f), as a row-major f × f matrix.
    static func gram(_ factors: [Float], f: Int, regularization: Float) -> [Float] {
        let rows = f == 0 ? 0 : factors.count / f
        let chunkCount = Parallel.chunkCount(rows, minimumChunk: 256)
        var partials = [Float](repeating: 0, count: chunkCount * f * f)
        partials.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Chunk c writes only partials[c·f²..<(c+1)·f²].
            let shared = DisjointWrites(base: base)
            Parallel.forEachChunk(rows, minimumChunk: 256) { chunk, range in
                factors.withUnsafeBufferPointer { y in
                    guard let yBase = y.baseAddress else { return }
                    let g = shared.base + chunk * f * f
                    for row in range {
                        let vector = yBase + row * f
                        for a in 0..<f { VectorMath.axpy(vector[a], vector, g + a * f, f) }
                    }
                }
            }
        }
        var gram = [Float](repeating: 0, count: f * f)
        for chunk in 0..<chunkCount {
            for index in gram.indices { gram[index] += partials[chunk * f * f + index] }
        }
        for a in 0..<f { gram[a * f + a] += regularization }
        return gram
    }

    /// Re-solves every row of `target` (rows × f) against fixed `fixed` factors, `steps`
    /// CG iterations per row started from the current value; rows run in parallel.
    static func solveRows(
        _ target: inout [Float],
        fixed: [Float],
        rows: SparseRows,
        f: Int,
        alpha: Float,
        regularization: Float,
        steps: Int
    ) {
        let gram = gram(fixed, f: f, regularization: regularization)
        let rowCount = rows.rowCount
        target.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            // Each chunk writes only its own rows of `target`.
            let shared = DisjointWrites(base: base)
            Parallel.forEachChunk(rowCount, minimumChunk: 32) { _, range in
                var scratch = CGScratch(f: f)
                for row in range {
                    let entries = rows.range(ofRow: row)
                    solveRow(
                        shared.base + row * f,
                        columns: rows.columns[entries],
                        values: rows.values[entries],
                        fixed: fixed,
                        gram: gram,
                        f: f,
                        alpha: alpha,
                        steps: steps,
                        scratch: &scratch
                    )
                }
            }
        }
    }

    struct CGScratch {
        var residual: [Float]
        var direction: [Float]
        var product: [Float]

        init(f: Int) {
            residual = [Float](repeating: 0, count: f)
            direction = residual
            product = residual
        }
    }

    /// `steps` CG iterations on (YᵀY + λI + Σ_j (c_j − 1) y_j y_jᵀ) x = Σ_j c_j y_j, from x.
    static func solveRow(
        _ x: UnsafeMutablePointer<Float>,
        columns: ArraySlice<Int32>,
        values: ArraySlice<Float>,
        fixed: [Float],
        gram: [Float],
        f: Int,
        alpha: Float,
        steps: Int,
        scratch: inout CGScratch
    ) {
        fixed.withUnsafeBufferPointer { yBuffer in
            gram.withUnsafeBufferPointer { gBuffer in
                scratch.residual.withUnsafeMutableBufferPointer { rBuffer in
                    scratch.direction.withUnsafeMutableBufferPointer { pBuffer in
                        scratch.product.withUnsafeMutableBufferPointer { apBuffer in
                            guard let y = yBuffer.baseAddress, let g = gBuffer.baseAddress, let r = rBuffer.baseAddress,
                                let p = pBuffer.baseAddress, let ap = apBuffer.baseAddress
                            else { return }
                            // r = b − A x
                            for a in 0..<f { r[a] = -VectorMath.dot(g + a * f, x, f) }
                            for (column, value) in zip(columns, values) {
                                let c = 1 + alpha * value
                                let vector = y + Int(column) * f
                                VectorMath.axpy(c - (c - 1) * VectorMath.dot(vector, x, f), vector, r, f)
                            }
                            p.update(from: r, count: f)
                            var oldNorm = VectorMath.dot(r, r, f)
                            guard oldNorm > 1e-20 else { return }
                            for _ in 0..<steps {
                                for a in 0..<f { ap[a] = VectorMath.dot(g + a * f, p, f) }
                                for (column, value) in zip(columns, values) {
                                    let vector = y + Int(column) * f
                                    VectorMath.axpy(alpha * value * VectorMath.dot(vector, p, f), vector, ap, f)
                                }
                                let curvature = VectorMath.dot(p, ap, f)
                                guard curvature > 0 else { return }
                                let stepSize = oldNorm / curvature
                                VectorMath.axpy(stepSize, p, x, f)
                                VectorMath.axpy(-stepSize, ap, r, f)
                                let newNorm = VectorMath.dot(r, r, f)
                                if newNorm < 1e-20 { return }
                                let beta = newNorm / oldNorm
                                for a in 0..<f { p[a] = r[a] + beta * p[a] }
                                oldNorm = newNorm
                            }
                        }
                    }
                }
            }
        }
    }

    /// The full objective Σ_u Σ_i c_ui (p_ui − x_u·y_i)² + λ(Σ|x_u|² + Σ|y_i|²), in Double.
    static func loss(
        users: [Float],
        items: [Float],
        matrix: SparseRows,
        f: Int,
        alpha: Float,
        regularization: Float
    ) -> Double {
        let gram = gram(items, f: f, regularization: 0)
        var total = 0.0
        users.withUnsafeBufferPointer { u in
            items.withUnsafeBufferPointer { v in
                gram.withUnsafeBufferPointer { g in
                    guard let uBase = u.baseAddress, let vBase = v.baseAddress, let gBase = g.baseAddress else { return }
                    for row in 0..<matrix.rowCount {
                        let x = uBase + row * f
                        // Every column as unobserved: xᵀ(YᵀY)x; then correct the observed ones.
                        for a in 0..<f { total += Double(x[a] * VectorMath.dot(gBase + a * f, x, f)) }
                        for position in matrix.range(ofRow: row) {
                            let prediction = Double(VectorMath.dot(x, vBase + Int(matrix.columns[position]) * f, f))
                            let c = 1 + Double(alpha * matrix.values[position])
                            total += c * (1 - prediction) * (1 - prediction) - prediction * prediction
                        }
                        total += Double(regularization * VectorMath.dot(x, x, f))
                    }
                    total += Double(regularization * VectorMath.dot(vBase, vBase, items.count))
                }
            }
        }
        return total
    }
}
