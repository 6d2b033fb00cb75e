import Testing

@testable import Strategies

/// ALS and EASE against first principles: direct normal-equation solves, the loss by its
/// definition, and the defining property of the EASE solution.
@Suite struct LinearAlgebraTests {
    /// Gaussian elimination with partial pivoting, in Double: the test's own reference solver.
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
        var a = matrix
        var b = rhs
        let n = b.count
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) } ?? column
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            x[row] = (b[row] - ((row + 1)..<n).reduce(0) { $0 + a[row][$1] * x[$1] }) / a[row][row]
        }
        return x
    }

    /// With f CG steps on an f-dimensional system, each row solve is exact up to rounding, so it
    /// must equal x = (YᵀY + λI + Σ_j (c_j − 1) y_j y_jᵀ)⁻¹ Σ_j c_j y_j with c = 1 + α r.
    @Test func cgRowSolveMatchesNormalEquations() {
        let f = 3
        let (alpha, lambda): (Float, Float) = (2, 0.1)
        var generator = SeededGenerator(seed: 9)
        let items = (0..<(5 * f)).map { _ in generator.unitFloat() - 0.5 }
        let rows = SparseRows(rows: [[0: 1, 3: 2], [1: 1], [0: 3, 2: 1, 4: 1], [:]], columnCount: 5)
        var users = [Float](repeating: 0, count: 4 * f)
        ALSSolver.solveRows(&users, fixed: items, rows: rows, f: f, alpha: alpha, regularization: lambda, steps: f)
        for row in 0..<4 {
            var matrix = (0..<f).map { a in (0..<f).map { b in a == b ? Double(lambda) : 0 } }
            var rhs = [Double](repeating: 0, count: f)
            for item in 0..<5 {
                let y = (0..<f).map { Double(items[item * f + $0]) }
                let r = rows.range(ofRow: row).first { rows.columns[$0] == Int32(item) }.map { Double(rows.values[$0]) } ?? 0
                let c = 1 + Double(alpha) * r
                for a in 0..<f {
                    for b in 0..<f { matrix[a][b] += c * y[a] * y[b] }
                    if r > 0 { rhs[a] += c * y[a] }
                }
            }
            let expected = Self.solve(matrix, rhs)
            for a in 0..<f { #expect(abs(Double(users[row * f + a]) - expected[a]) < 1e-3 * max(1, abs(expected[a]))) }
        }
    }

    @Test func lossMatchesItsDefinitionAndDecreasesEverySweep() throws {
        let data = PlantedData.clusters(seed: 4, users: 60, items: 40, perUser: 8)
        let parameters = try ResolvedParameters(
            ["factors": 4, "iterations": 6, "alpha": 5, "regularization": 0.5, "track_loss": true],
            for: ALSModel.strategyDescription
        )
        var model = ALSModel(parameters: parameters)
        let training = TrainingData(interactions: data.interactions, catalogue: data.catalogue)
        try model.fit(training)
        #expect(model.lossHistory.count == 6)
        for (earlier, later) in zip(model.lossHistory, model.lossHistory.dropFirst()) { #expect(later < earlier) }
        // The loss by definition: Σ over every (u, i) of c_ui (p_ui − x_u·y_i)² plus λ‖X‖² + λ‖Y‖².
        let matrix = training.unitItemMatrix()
        var expected = 0.0
        let f = 4
        for user in 0..<matrix.rowCount {
            for item in 0..<training.space.count {
                let r = matrix.range(ofRow: user).first { matrix.columns[$0] == Int32(item) }.map { Double(matrix.values[$0]) } ?? 0
                let prediction = (0..<f).reduce(0.0) { $0 + Double(model.userFactors[user * f + $1] * model.itemFactors[item * f + $1]) }
                let preference = r > 0 ? 1.0 : 0.0
                expected += (1 + 5 * r) * (preference - prediction) * (preference - prediction)
            }
        }
        expected += 0.5 * (model.userFactors + model.itemFactors).reduce(0.0) { $0 + Double($1 * $1) }
        let reported = try #require(model.lossHistory.last)
        #expect(abs(reported - expected) < 1e-3 * expected)
    }

    @Test func choleskyInverseInvertsSymmetricPositiveDefinite() throws {
        let n = 12
        var generator = SeededGenerator(seed: 2)
        let a = (0..<(n * n)).map { _ in Double(generator.unitFloat()) - 0.5 }
        // AᵀA + I is symmetric positive definite.
        var matrix = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { matrix[i * n + j] = (0..<n).reduce(i == j ? 1 : 0) { $0 + a[$1 * n + i] * a[$1 * n + j] } } }
        let inverse = try #require(Cholesky.inverse(matrix, n: n))
        for i in 0..<n {
            for j in 0..<n {
                let product = (0..<n).reduce(0.0) { $0 + matrix[i * n + $1] * inverse[$1 * n + j] }
                #expect(abs(product - (i == j ? 1 : 0)) < 1e-9)
            }
        }
        #expect(Cholesky.inverse([1, 2, 2, 1], n: 2) == nil, "an indefinite matrix has no Cholesky factor")
    }

    /// Steck's solution has a zero diagonal and makes G(I − B) diagonal (the Lagrange
    /// conditions of min ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0, with G = XᵀX + λI).
    @Test func easeWeightsSatisfyTheirDefiningConditions() throws {
        let data = PlantedData.clusters(seed: 5, users: 50, items: 20, perUser: 6)
        let parameters = try ResolvedParameters(["lambda": 3], for: EASEModel.strategyDescription)
        var model = EASEModel(parameters: parameters)
        let training = TrainingData(interactions: data.interactions, catalogue: data.catalogue)
        try model.fit(training)
        let n = training.space.count
        var gram = [Double](repeating: 0, count: n * n)
        for unit in training.units.indices {
            let items = Set(training.events(ofUnit: unit).map { Int($0.item) })
            for a in items { for b in items { gram[a * n + b] += 1 } }
        }
        for i in 0..<n { gram[i * n + i] += 3 }
        for i in 0..<n {
            #expect(model.weights[i * n + i] == 0)
            for j in 0..<n where i != j {
                let entry = (0..<n).reduce(0.0) { $0 + gram[i * n + $1] * ((($1 == j) ? 1 : 0) - Double(model.weights[$1 * n + j])) }
                #expect(abs(entry) < 1e-4, "G(I − B)[\(i)][\(j)] = \(entry)")
            }
        }
    }

    @Test func blockedMatrixVectorMatchesRowDots() {
        var generator = SeededGenerator(seed: 8)
        let (rows, columns) = (11, 13)
        let matrix = (0..<(rows * columns)).map { _ in generator.unitFloat() - 0.5 }
        let vector = (0..<columns).map { _ in generator.unitFloat() - 0.5 }
        let result = VectorMath.matrixVector(matrix, columns: columns, vector)
        for row in 0..<rows {
            let expected = (0..<columns).reduce(0.0) { $0 + Double(matrix[row * columns + $1]) * Double(vector[$1]) }
            #expect(abs(Double(result[row]) - expected) < 1e-5)
        }
    }

    /// Two CG steps (fewer than the 4 factors, so an intermediate iterate) from the same start
    /// must equal implicit 0.7.3's `implicit.cpu.als.least_squares_cg(C, X, Y, 0.1, cg_steps=2)`;
    /// values printed by scripts/strategies_implicit_reference.py.
    @Test func cgStepsMatchImplicit() {
        let (f, items, users) = (4, 6, 3)
        let itemFactors = (0..<(items * f)).map { Float(((($0 / f) * 7 + ($0 % f) * 3) % 11) - 5) / 10 }
        var userFactors = (0..<(users * f)).map { 0.01 * Float((($0 / f) * 5 + $0 % f) % 7) / 7 }
        let rows = SparseRows(rows: [[1: 1, 4: 3], [0: 2, 2: 1, 5: 1], [3: 1]], columnCount: items)
        ALSSolver.solveRows(&userFactors, fixed: itemFactors, rows: rows, f: f, alpha: 2, regularization: 0.1, steps: 2)
        let implicit: [Float] = [
            0.0308947, 1.2811626, -0.9544319, -0.2044018,
            -1.6549623, 0.1867893, 0.9272694, -0.0538398,
            1.0000163, -0.6344689, 0.3449598, 0.2714246,
        ]
        for (ours, reference) in zip(userFactors, implicit) { #expect(abs(ours - reference) < 1e-4, "\(ours) vs \(reference)") }
    }
}
