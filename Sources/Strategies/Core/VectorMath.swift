import Dispatch

/// Dense Float kernels over raw pointers, written with SIMD8 so they vectorise in release builds.
enum VectorMath {
    /// Σ a[i]·b[i] for i in 0..<count.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ count: Int) -> Float {
        var sum = SIMD8<Float>()
        var index = 0
        while index + 8 <= count {
            sum +=
                UnsafeRawPointer(a + index).loadUnaligned(as: SIMD8<Float>.self)
                * UnsafeRawPointer(b + index).loadUnaligned(as: SIMD8<Float>.self)
            index += 8
        }
        var total = sum.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// y[i] += alpha·x[i] for i in 0..<count.
    @inline(__always)
    static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        var index = 0
        let scale = SIMD8<Float>(repeating: alpha)
        while index + 8 <= count {
            let updated =
                UnsafeRawPointer(y + index).loadUnaligned(as: SIMD8<Float>.self)
                + scale * UnsafeRawPointer(x + index).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + index).storeBytes(of: updated, as: SIMD8<Float>.self)
            index += 8
        }
        while index < count {
            y[index] += alpha * x[index]
            index += 1
        }
    }

    /// y[i] += alpha·x[i] in Double.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) {
        var index = 0
        let scale = SIMD4<Double>(repeating: alpha)
        while index + 4 <= count {
            let updated =
                UnsafeRawPointer(y + index).loadUnaligned(as: SIMD4<Double>.self)
                + scale * UnsafeRawPointer(x + index).loadUnaligned(as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(y + index).storeBytes(of: updated, as: SIMD4<Double>.self)
            index += 4
        }
        while index < count {
            y[index] += alpha * x[index]
            index += 1
        }
    }

    /// Σ a[i]·b[i] in Double.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var sum = SIMD4<Double>()
        var index = 0
        while index + 4 <= count {
            sum +=
                UnsafeRawPointer(a + index).loadUnaligned(as: SIMD4<Double>.self)
                * UnsafeRawPointer(b + index).loadUnaligned(as: SIMD4<Double>.self)
            index += 4
        }
        var total = sum.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }

    /// scores[r] = Σ_d matrix[r·columns + d]·vector[d]: every row of a row-major matrix against
    /// one vector, four rows at a time so each vector load serves four rows.
    static func matrixVector(_ matrix: [Float], columns: Int, _ vector: [Float]) -> [Float] {
        let rows = columns == 0 ? 0 : matrix.count / columns
        var result = [Float](repeating: 0, count: rows)
        matrix.withUnsafeBufferPointer { m in
            vector.withUnsafeBufferPointer { v in
                result.withUnsafeMutableBufferPointer { out in
                    guard let mBase = m.baseAddress, let vBase = v.baseAddress, let outBase = out.baseAddress else { return }
                    var row = 0
                    let wide = columns / 8 * 8
                    while row + 4 <= rows {
                        var sums = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
                        let (r0, r1, r2, r3) = (
                            mBase + row * columns, mBase + (row + 1) * columns, mBase + (row + 2) * columns, mBase + (row + 3) * columns
                        )
                        var d = 0
                        while d < wide {
                            let x = UnsafeRawPointer(vBase + d).loadUnaligned(as: SIMD8<Float>.self)
                            sums.0 += x * UnsafeRawPointer(r0 + d).loadUnaligned(as: SIMD8<Float>.self)
                            sums.1 += x * UnsafeRawPointer(r1 + d).loadUnaligned(as: SIMD8<Float>.self)
                            sums.2 += x * UnsafeRawPointer(r2 + d).loadUnaligned(as: SIMD8<Float>.self)
                            sums.3 += x * UnsafeRawPointer(r3 + d).loadUnaligned(as: SIMD8<Float>.self)
                            d += 8
                        }
                        var totals = (sums.0.sum(), sums.1.sum(), sums.2.sum(), sums.3.sum())
                        while d < columns {
                            totals.0 += r0[d] * vBase[d]
                            totals.1 += r1[d] * vBase[d]
                            totals.2 += r2[d] * vBase[d]
                            totals.3 += r3[d] * vBase[d]
                            d += 1
                        }
                        (outBase[row], outBase[row + 1], outBase[row + 2], outBase[row + 3]) = totals
                        row += 4
                    }
                    while row < rows {
                        outBase[row] = dot(mBase + row * columns, vBase, columns)
                        row += 1
                    }
                }
            }
        }
        return result
    }
}

/// Runs `body` over `0..<count` split into contiguous chunks on the available cores.
enum Parallel {
    /// How many chunks `forEachChunk` uses for `count` rows of at least `minimumChunk` each.
    static func chunkCount(_ count: Int, minimumChunk: Int) -> Int {
        max(1, min(16, count / max(1, minimumChunk)))
    }

    /// Calls `body(chunk, range)` for each chunk, concurrently when there are several.
    static func forEachChunk(_ count: Int, minimumChunk: Int = 64, _ body: @Sendable (Int, Range<Int>) -> Void) {
        let chunks = chunkCount(count, minimumChunk: minimumChunk)
        guard chunks > 1 else {
            body(0, 0..<count)
            return
        }
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk, (chunk * count / chunks)..<((chunk + 1) * count / chunks))
        }
    }
}

/// A raw buffer that concurrent chunks write at disjoint indices; @unchecked Sendable is
/// sound only under that discipline, which every user states next to its use.
struct DisjointWrites<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}
