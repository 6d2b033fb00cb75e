import Foundation

/// The learned parameters of the two-tower model. The user tower mean-pools history item
/// embeddings and applies a tanh layer and a linear layer; the item tower adds an item's id
/// embedding to the mean of its content-token embeddings and applies a linear layer. A score
/// is the dot product of the two towers' outputs.
struct TwoTowerWeights: Sendable, Codable, Equatable {
    var historyEmbedding: Embedding
    var userHidden: Dense
    var userOutput: Dense
    var itemEmbedding: Embedding
    var tokenEmbedding: Embedding
    var itemOutput: Dense

    init(items: Int, tokens: Int, dimensions: Int, using generator: inout SeededGenerator) {
        historyEmbedding = Embedding(count: items, dimensions: dimensions, using: &generator)
        userHidden = Dense(inputs: dimensions, outputs: dimensions, using: &generator)
        userOutput = Dense(inputs: dimensions, outputs: dimensions, using: &generator)
        // Id vectors start at zero, so an item never trained on is scored by its content alone.
        itemEmbedding = Embedding(table: Matrix(rows: items, columns: dimensions))
        tokenEmbedding = Embedding(count: tokens, dimensions: dimensions, using: &generator)
        itemOutput = Dense(inputs: dimensions, outputs: dimensions, using: &generator)
    }

    var zeroed: TwoTowerWeights {
        var copy = self
        copy.historyEmbedding = historyEmbedding.zeroed
        copy.userHidden = userHidden.zeroed
        copy.userOutput = userOutput.zeroed
        copy.itemEmbedding = itemEmbedding.zeroed
        copy.tokenEmbedding = tokenEmbedding.zeroed
        copy.itemOutput = itemOutput.zeroed
        return copy
    }

    static var sparsePaths: Set<WritableKeyPath<Self, Matrix>> { [\.historyEmbedding.table, \.itemEmbedding.table, \.tokenEmbedding.table] }
    static var allPaths: [WritableKeyPath<Self, Matrix>] {
        [
            \.historyEmbedding.table, \.itemEmbedding.table, \.tokenEmbedding.table, \.userHidden.weight, \.userHidden.bias,
            \.userOutput.weight, \.userOutput.bias, \.itemOutput.weight, \.itemOutput.bias,
        ]
    }

    /// The forward pass of the user tower, keeping what backpropagation needs.
    struct UserPass {
        var pooled: Matrix
        var hidden: Matrix
        var output: Matrix
    }

    func userTower(_ histories: [[Int]]) -> UserPass {
        let pooled = historyEmbedding.meanPool(histories)
        var hidden = userHidden.forward(pooled)
        hidden.apply(tanh)
        return UserPass(pooled: pooled, hidden: hidden, output: userOutput.forward(hidden))
    }

    /// Adds the user tower's gradients; returns the history rows touched.
    func userBackward(_ pass: UserPass, histories: [[Int]], outputGradient: Matrix, into gradient: inout TwoTowerWeights) -> [Int] {
        let hiddenGradient = userOutput.backward(input: pass.hidden, outputGradient: outputGradient, into: &gradient.userOutput)
        let preactivationGradient = Activation.tanhBackward(output: pass.hidden, outputGradient: hiddenGradient)
        let pooledGradient = userHidden.backward(input: pass.pooled, outputGradient: preactivationGradient, into: &gradient.userHidden)
        return Embedding.backwardMeanPool(bags: histories, outputGradient: pooledGradient, into: &gradient.historyEmbedding)
    }

    /// The item tower's input for `items`: id vector (scaled by `idMask`, 1 keeps, 0 drops)
    /// plus the mean of the item's token vectors.
    func itemFeatures(_ items: [Int], tokens: [[Int]], idMask: [Float]?) -> Matrix {
        var features = tokenEmbedding.meanPool(items.map { tokens[$0] })
        let width = features.columns
        for (row, item) in items.enumerated() {
            let keep = idMask?[row] ?? 1
            guard keep != 0 else { continue }
            for column in 0..<width { features.values[row * width + column] += keep * itemEmbedding.table.values[item * width + column] }
        }
        return features
    }

    /// Adds the item tower's gradients for `items`; returns the id rows and token rows touched.
    func itemBackward(
        _ items: [Int],
        features: Matrix,
        tokens: [[Int]],
        idMask: [Float],
        outputGradient: Matrix,
        into gradient: inout TwoTowerWeights
    ) -> (ids: [Int], tokens: [Int]) {
        var featureGradient = itemOutput.backward(input: features, outputGradient: outputGradient, into: &gradient.itemOutput)
        let tokenRows = Embedding.backwardMeanPool(bags: items.map { tokens[$0] }, outputGradient: featureGradient, into: &gradient.tokenEmbedding)
        let width = featureGradient.columns
        for row in 0..<featureGradient.rows { for column in 0..<width { featureGradient.values[row * width + column] *= idMask[row] } }
        let idRows = Embedding.backwardLookup(ids: items, outputGradient: featureGradient, into: &gradient.itemEmbedding)
        return (idRows, tokenRows)
    }
}
