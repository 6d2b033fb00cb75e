import Foundation
import Testing

@testable import Strategies

/// Every layer's analytic gradient against central finite differences. Each check builds a
/// scalar loss L = Σ c ⊙ output with fixed random coefficients c (so ∂L/∂output = c),
/// perturbs each input and weight by ±h, and compares (L(x + h) − L(x − h)) / 2h with the
/// backward pass. Float32 forward passes limit agreement to about 1e-3, hence the tolerance.
@Suite struct NeuralGradientTests {
    static let step: Float = 1e-2

    /// Asserts that `analytic` matches the central difference of `loss` over every element of `values`.
    static func expectGradient(
        _ analytic: Matrix,
        of values: Matrix,
        _ label: String,
        loss: (Matrix) -> Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(analytic.values.count == values.values.count, "\(label) shape", sourceLocation: sourceLocation)
        var worst = 0.0
        for index in values.values.indices {
            var plus = values
            plus.values[index] += step
            var minus = values
            minus.values[index] -= step
            let numeric = (loss(plus) - loss(minus)) / Double(2 * step)
            let error = abs(numeric - Double(analytic.values[index])) / max(1, abs(numeric))
            worst = max(worst, error)
        }
        #expect(worst < 2e-3, "\(label): worst relative error \(worst)", sourceLocation: sourceLocation)
    }

    static func random(_ rows: Int, _ columns: Int, _ generator: inout SeededGenerator, scale: Float = 1) -> Matrix {
        .uniform(rows: rows, columns: columns, bound: scale, using: &generator)
    }

    /// Σ c ⊙ m in Double.
    static func weighted(_ m: Matrix, _ c: Matrix) -> Double {
        zip(m.values, c.values).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    @Test func denseGradients() {
        var generator = SeededGenerator(seed: 1)
        let layer = Dense(inputs: 5, outputs: 3, using: &generator)
        let input = Self.random(4, 5, &generator)
        let coefficients = Self.random(4, 3, &generator)
        var gradient = layer.zeroed
        let inputGradient = layer.backward(input: input, outputGradient: coefficients, into: &gradient)
        Self.expectGradient(inputGradient, of: input, "dense input") { Self.weighted(layer.forward($0), coefficients) }
        Self.expectGradient(gradient.weight, of: layer.weight, "dense weight") { weight in
            var changed = layer
            changed.weight = weight
            return Self.weighted(changed.forward(input), coefficients)
        }
        Self.expectGradient(gradient.bias, of: layer.bias, "dense bias") { bias in
            var changed = layer
            changed.bias = bias
            return Self.weighted(changed.forward(input), coefficients)
        }
    }

    @Test func tanhGradient() {
        var generator = SeededGenerator(seed: 2)
        let input = Self.random(3, 4, &generator, scale: 2)
        let coefficients = Self.random(3, 4, &generator)
        func forward(_ x: Matrix) -> Matrix {
            var y = x
            y.apply(tanh)
            return y
        }
        let analytic = Activation.tanhBackward(output: forward(input), outputGradient: coefficients)
        Self.expectGradient(analytic, of: input, "tanh") { Self.weighted(forward($0), coefficients) }
    }

    @Test func embeddingGradients() {
        var generator = SeededGenerator(seed: 3)
        let table = Embedding(count: 6, dimensions: 4, using: &generator)
        let ids = [2, 0, 2, 5]
        let bags = [[1, 3], [], [4, 4, 0], [5]]
        let lookupCoefficients = Self.random(ids.count, 4, &generator)
        let poolCoefficients = Self.random(bags.count, 4, &generator)
        var lookupGradient = table.zeroed
        let touched = Embedding.backwardLookup(ids: ids, outputGradient: lookupCoefficients, into: &lookupGradient)
        #expect(Set(touched) == [0, 2, 5])
        Self.expectGradient(lookupGradient.table, of: table.table, "lookup") {
            Self.weighted(Embedding(table: $0).lookup(ids), lookupCoefficients)
        }
        var poolGradient = table.zeroed
        let pooled = Embedding.backwardMeanPool(bags: bags, outputGradient: poolCoefficients, into: &poolGradient)
        #expect(Set(pooled) == [0, 1, 3, 4, 5])
        Self.expectGradient(poolGradient.table, of: table.table, "mean pool") {
            Self.weighted(Embedding(table: $0).meanPool(bags), poolCoefficients)
        }
    }

    @Test func gruCellGradients() {
        var generator = SeededGenerator(seed: 4)
        let cell = GRUCell(inputs: 3, hidden: 4, using: &generator)
        var biased = cell
        biased.bias = Self.random(1, 12, &generator, scale: 0.5)
        let input = Self.random(2, 3, &generator)
        let hidden = Self.random(2, 4, &generator, scale: 0.8)
        let coefficients = Self.random(2, 4, &generator)
        let (_, cache) = biased.forward(input, hidden: hidden)
        var gradient = biased.zeroed
        let (inputGradient, hiddenGradient) = biased.backward(cache, outputGradient: coefficients, into: &gradient)
        func loss(_ cell: GRUCell, _ x: Matrix, _ h: Matrix) -> Double { Self.weighted(cell.forward(x, hidden: h).output, coefficients) }
        Self.expectGradient(inputGradient, of: input, "gru input") { loss(biased, $0, hidden) }
        Self.expectGradient(hiddenGradient, of: hidden, "gru hidden") { loss(biased, input, $0) }
        for (path, label) in [(\GRUCell.inputWeight, "W"), (\.gateWeight, "U gates"), (\.candidateWeight, "U candidate"), (\.bias, "bias")] {
            Self.expectGradient(gradient[keyPath: path], of: biased[keyPath: path], "gru \(label)") { value in
                var changed = biased
                changed[keyPath: path] = value
                return loss(changed, input, hidden)
            }
        }
    }

    @Test(arguments: RankingLoss.allCases)
    func rankingLossGradients(loss: RankingLoss) {
        var generator = SeededGenerator(seed: 5)
        let scores = Self.random(3, 6, &generator, scale: 2)
        let positives = [0, 1, 2]
        // Row 0 ignores column 4 (as if it held the same item as row 0's positive).
        var allowed = [Bool](repeating: true, count: 18)
        allowed[4] = false
        let (_, analytic) = loss.evaluate(scores: scores, positives: positives, allowed: allowed, regularization: 0.5)
        #expect(analytic[0, 4] == 0, "a masked column gets no gradient")
        Self.expectGradient(analytic, of: scores, loss.rawValue) {
            loss.evaluate(scores: $0, positives: positives, allowed: allowed, regularization: 0.5).loss
        }
    }

    /// Cross-entropy of a positive scoring 0 against two negatives scoring 0 is log 3 by hand,
    /// and BPR-max with equal scores is −log(Σ ⅓·σ(0)) = log 2 (λ = 0).
    @Test func rankingLossValuesByHand() {
        let scores = Matrix(rows: 1, columns: 3, values: [0, 0, 0])
        #expect(abs(RankingLoss.crossEntropy.evaluate(scores: scores, positives: [0], allowed: nil).loss - log(3)) < 1e-6)
        #expect(abs(RankingLoss.bprMax.evaluate(scores: scores, positives: [0], allowed: nil, regularization: 0).loss - log(2)) < 1e-6)
    }

    /// The composition: two stacked GRU layers over an item embedding, ∂L/∂(top state) flowing
    /// back into the first layer's weights and the embedding rows looked up.
    @Test func stackedGRUGradients() {
        var generator = SeededGenerator(seed: 6)
        let weights = GRU4RecWeights(items: 5, embedding: 3, hidden: 4, layerCount: 2, using: &generator)
        let items = [1, 4, 1]
        let hidden = [Self.random(3, 4, &generator, scale: 0.5), Self.random(3, 4, &generator, scale: 0.5)]
        let coefficients = Self.random(3, 4, &generator)
        let (_, caches) = weights.forward(items: items, hidden: hidden)
        var gradient = weights.zeroed
        let touched = weights.backward(items: items, caches: caches, topGradient: coefficients, into: &gradient)
        #expect(touched == items)
        func loss(_ changed: GRU4RecWeights) -> Double { Self.weighted(changed.forward(items: items, hidden: hidden).hidden[1], coefficients) }
        for (path, label) in [
            (\GRU4RecWeights.layers[0].inputWeight, "layer 1 W"), (\.layers[1].gateWeight, "layer 2 U"), (\.itemEmbedding.table, "embedding"),
        ] {
            Self.expectGradient(gradient[keyPath: path], of: weights[keyPath: path], label) { value in
                var changed = weights
                changed[keyPath: path] = value
                return loss(changed)
            }
        }
    }

    /// Both towers: L = Σ c ⊙ (users · itemsᵀ), back through the item tower (with one id
    /// dropped) and the user tower's tanh and mean pooling.
    @Test func twoTowerGradients() {
        var generator = SeededGenerator(seed: 7)
        var weights = TwoTowerWeights(items: 4, tokens: 5, dimensions: 3, using: &generator)
        weights.itemEmbedding = Embedding(count: 4, dimensions: 3, using: &generator)
        let tokens = [[0, 1], [2], [], [3, 4, 1]]
        let histories = [[0, 2], [3]]
        let candidates = [1, 3, 0]
        let mask: [Float] = [1, 0, 1]
        let coefficients = Self.random(2, 3, &generator)
        func scores(_ w: TwoTowerWeights) -> Matrix {
            let items = w.itemOutput.forward(w.itemFeatures(candidates, tokens: tokens, idMask: mask))
            return Matrix.product(w.userTower(histories).output, transposing: items)
        }
        let user = weights.userTower(histories)
        let features = weights.itemFeatures(candidates, tokens: tokens, idMask: mask)
        let items = weights.itemOutput.forward(features)
        var gradient = weights.zeroed
        var itemGradient = Matrix(rows: 3, columns: 3)
        Matrix.accumulateProduct(transposing: coefficients, user.output, into: &itemGradient)
        _ = weights.userBackward(user, histories: histories, outputGradient: Matrix.product(coefficients, items), into: &gradient)
        _ = weights.itemBackward(candidates, features: features, tokens: tokens, idMask: mask, outputGradient: itemGradient, into: &gradient)
        for (path, label) in [
            (\TwoTowerWeights.historyEmbedding.table, "history"), (\.userHidden.weight, "user hidden"), (\.userOutput.bias, "user output bias"),
            (\.itemEmbedding.table, "item ids"), (\.tokenEmbedding.table, "tokens"), (\.itemOutput.weight, "item output"),
        ] {
            Self.expectGradient(gradient[keyPath: path], of: weights[keyPath: path], "two tower \(label)") { value in
                var changed = weights
                changed[keyPath: path] = value
                return Self.weighted(scores(changed), coefficients)
            }
        }
    }
}
