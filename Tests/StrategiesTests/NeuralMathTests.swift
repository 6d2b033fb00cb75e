import Foundation
import Testing

@testable import Strategies

/// The matrix helper and the optimisers against hand calculations.
@Suite struct NeuralMathTests {
    /// [[1, 2], [3, 4]] with [[5, 6], [7, 8]]: a·bᵀ = [[17, 23], [39, 53]], a·b = [[19, 22], [43, 50]],
    /// aᵀ·b = [[26, 30], [38, 44]], by hand.
    @Test func productsByHand() {
        let a = Matrix(rows: 2, columns: 2, values: [1, 2, 3, 4])
        let b = Matrix(rows: 2, columns: 2, values: [5, 6, 7, 8])
        #expect(Matrix.product(a, transposing: b).values == [17, 23, 39, 53])
        #expect(Matrix.product(a, b).values == [19, 22, 43, 50])
        var sum = Matrix(rows: 2, columns: 2, values: [1, 1, 1, 1])
        Matrix.accumulateProduct(transposing: a, b, into: &sum)
        #expect(sum.values == [27, 31, 39, 45])
    }

    /// Products large enough to run on two threads equal the naive triple loop (small integers,
    /// so Float sums are exact whatever the order).
    @Test func parallelProductsEqualNaiveLoops() {
        var generator = SeededGenerator(seed: 3)
        let (n, k, m) = (70, 60, 50)
        let a = Matrix(rows: n, columns: k, values: (0..<(n * k)).map { _ in Float(generator.below(7)) - 3 })
        let b = Matrix(rows: m, columns: k, values: (0..<(m * k)).map { _ in Float(generator.below(7)) - 3 })
        #expect(n * m * k >= Matrix.parallelThreshold)
        let product = Matrix.product(a, transposing: b)
        for i in 0..<n {
            for j in 0..<m { #expect(product[i, j] == (0..<k).reduce(0) { $0 + a[i, $1] * b[j, $1] }) }
        }
    }

    @Test func matrixCodingIsBitExact() throws {
        let matrix = Matrix(rows: 2, columns: 3, values: [0.1, -2.5e-7, .pi, 1e30, -0.0, 3])
        let decoded = try JSONDecoder().decode(Matrix.self, from: JSONEncoder().encode(matrix))
        #expect(decoded.values.map(\.bitPattern) == matrix.values.map(\.bitPattern))
        #expect(decoded.rows == 2 && decoded.columns == 3)
    }

    /// Adam's first step is lr·m̂/(√v̂ + ε) with m̂ = g and v̂ = g², i.e. lr·sign(g) up to ε.
    /// Adagrad's steps are lr·g₁/|g₁| then lr·g₂/√(g₁² + g₂²). Rows not touched stay put.
    @Test func optimiserStepsByHand() {
        var value = Matrix(rows: 2, columns: 2, values: [1, 1, 1, 1])
        var gradient = Matrix(rows: 2, columns: 2, values: [0.5, -2, 9, 9])
        var state = OptimiserState(count: 4)
        var adam = Optimiser(kind: .adam, learningRate: 0.1)
        adam.beginStep()
        adam.update(&value, gradient: &gradient, state: &state, rows: [0])
        #expect(abs(value[0, 0] - 0.9) < 1e-6 && abs(value[0, 1] - 1.1) < 1e-6)
        #expect(value[1, 0] == 1 && value[1, 1] == 1, "untouched row")
        #expect(gradient.values == [0, 0, 9, 9], "touched rows are cleared for the next step")

        var weight = Matrix(rows: 1, columns: 1, values: [0])
        var adagradState = OptimiserState(count: 1)
        let adagrad = Optimiser(kind: .adagrad, learningRate: 0.1)
        var g = Matrix(rows: 1, columns: 1, values: [3])
        adagrad.update(&weight, gradient: &g, state: &adagradState, rows: nil)
        #expect(abs(weight[0, 0] - -0.1) < 1e-6)
        g.values = [4]
        adagrad.update(&weight, gradient: &g, state: &adagradState, rows: nil)
        #expect(abs(weight[0, 0] - (-0.1 - 0.1 * 4 / 5)) < 1e-6)
    }

    /// With counts 1 and 4 and alpha 0.5, the weights are 1 and 2, so the second item is
    /// drawn 2/3 of the time; alpha 0 draws both equally; an unseen item is never drawn.
    @Test func negativeSamplerFollowsPopularityPower() {
        var generator = SeededGenerator(seed: 9)
        let draws = NegativeSampler(counts: [1, 0, 4], alpha: 0.5).sample(30_000, using: &generator)
        #expect(!draws.contains(1))
        // Binomial standard error √(p(1−p)/n) ≈ 0.0027; allow 4 of them.
        let popularShare = Double(draws.filter { $0 == 2 }.count) / 30_000
        #expect(abs(popularShare - 2.0 / 3) < 0.011)
        let uniform = NegativeSampler(counts: [1, 0, 4], alpha: 0).sample(30_000, using: &generator)
        let uniformShare = Double(uniform.filter { $0 == 2 }.count) / 30_000
        #expect(abs(uniformShare - 0.5) < 0.012)
    }

    /// Target at rank 0 gains 1, at rank 2 gains 1/log2(4) = 0.5, at rank 10 gains 0.
    @Test func nextItemNDCGByHand() {
        #expect(NextItemNDCG.value(scores: [3, 1, 2], target: 0) == 1)
        #expect(NextItemNDCG.value(scores: [3, 1, 2, 0.5], target: 1) == 0.5)
        #expect(NextItemNDCG.value(scores: (0..<11).map(Float.init), target: 0) == 0)
    }

    @Test func sessionsSplitAtTheGap() {
        let interactions = [0.0, 60, 4000, 4060, 4100].enumerated().map { index, time in
            Interaction(unit: "u", item: "i\(index)", time: time)
        }
        let data = TrainingData(interactions: interactions, catalogue: ItemCatalogue(items: []))
        #expect(Sessions.split(data, gap: 1800) == [[0, 1], [2, 3, 4]])
        #expect(Sessions.split(data, gap: 0) == [[0, 1, 2, 3, 4]])
        #expect(Sessions.latest(data, gap: 1800).map(\.items) == [[2, 3, 4]])
    }
}
