/// The Cholesky factor L (A = L·Lᵀ) of a small dense symmetric positive-definite matrix,
/// stored row-major; used to re-invert a ridge design matrix exactly, undoing the drift of
/// many Sherman–Morrison updates.
struct Cholesky {
    let dimension: Int
    private(set) var lower: [Double]

    /// Factors the row-major `matrix`; nil if it is not (numerically) positive definite.
    init?(_ matrix: [Double], dimension d: Int) {
        dimension = d
        lower = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var s = matrix[i * d + j]
                for k in 0..<j { s -= lower[i * d + k] * lower[j * d + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    lower[i * d + i] = s.squareRoot()
                } else {
                    lower[i * d + j] = s / lower[j * d + j]
                }
            }
        }
    }

    /// x with A·x = b, by forward then backward substitution.
    func solve(_ b: [Double]) -> [Double] {
        let d = dimension
        var y = b
        for i in 0..<d {
            for k in 0..<i { y[i] -= lower[i * d + k] * y[k] }
            y[i] /= lower[i * d + i]
        }
        for i in stride(from: d - 1, through: 0, by: -1) {
            for k in (i + 1)..<d { y[i] -= lower[k * d + i] * y[k] }
            y[i] /= lower[i * d + i]
        }
        return y
    }

    /// A⁻¹, row-major, one solve per unit vector.
    func inverse() -> [Double] {
        let d = dimension
        var result = [Double](repeating: 0, count: d * d)
        for column in 0..<d {
            var e = [Double](repeating: 0, count: d)
            e[column] = 1
            let x = solve(e)
            for row in 0..<d { result[row * d + column] = x[row] }
        }
        return result
    }
}
