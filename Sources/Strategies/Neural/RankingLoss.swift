import Foundation

/// Losses over a B × S score matrix in which row b's positive sits in column `positives[b]`
/// and the other allowed columns are its negatives (in-batch targets and sampled items).
/// Each returns the mean loss over rows and ∂loss/∂scores.
enum RankingLoss: String, Sendable, Codable, CaseIterable {
    /// Softmax cross-entropy over the candidates (sampled softmax).
    case crossEntropy = "cross_entropy"
    /// BPR-max (Hidasi and Karatzoglou 2018): −log Σ_j s_j σ(r_i − r_j) + λ Σ_j s_j r_j², with
    /// s the softmax over the negatives' scores, so the hardest negatives dominate.
    case bprMax = "bpr_max"

    /// `allowed[b·S + j]` false drops column j from row b (e.g. another row's target that is
    /// the same item as row b's positive); nil allows every column.
    func evaluate(
        scores: Matrix,
        positives: [Int],
        allowed: [Bool]?,
        regularization: Float = 1
    ) -> (loss: Double, gradient: Matrix) {
        var gradient = Matrix(rows: scores.rows, columns: scores.columns)
        var total = 0.0
        let scale = 1 / Float(max(1, scores.rows))
        for row in 0..<scores.rows {
            let columns = (0..<scores.columns).filter { $0 != positives[row] && allowed?[row * scores.columns + $0] ?? true }
            let positive = scores[row, positives[row]]
            let negatives = columns.map { scores[row, $0] }
            let (loss, dPositive, dNegatives) =
                switch self {
                case .crossEntropy: Self.crossEntropy(positive: positive, negatives: negatives)
                case .bprMax: Self.bprMax(positive: positive, negatives: negatives, regularization: regularization)
                }
            total += Double(loss)
            gradient[row, positives[row]] = scale * dPositive
            for (column, d) in zip(columns, dNegatives) { gradient[row, column] = scale * d }
        }
        return (total / Double(max(1, scores.rows)), gradient)
    }

    /// −log softmax(positive) over positive ∪ negatives, with its gradients.
    static func crossEntropy(positive: Float, negatives: [Float]) -> (Float, Float, [Float]) {
        let peak = max(positive, negatives.max() ?? positive)
        let exponentials = negatives.map { exp($0 - peak) }
        let positiveExponential = exp(positive - peak)
        let sum = positiveExponential + exponentials.reduce(0, +)
        let loss = log(sum) - (positive - peak)
        return (loss, positiveExponential / sum - 1, exponentials.map { $0 / sum })
    }

    /// BPR-max with its gradients. With s_j the softmax weights of the negatives, σ_j =
    /// σ(r_i − r_j), P = Σ s_j σ_j and M = Σ s_k r_k²:
    /// ∂/∂r_i = −Σ s_j σ_j (1 − σ_j) / P,
    /// ∂/∂r_j = s_j − s_j σ_j² / P + λ s_j (2 r_j + r_j² − M).
    static func bprMax(positive: Float, negatives: [Float], regularization lambda: Float) -> (Float, Float, [Float]) {
        guard !negatives.isEmpty else { return (0, 0, []) }
        let peak = negatives.max() ?? 0
        let exponentials = negatives.map { exp($0 - peak) }
        let sum = exponentials.reduce(0, +)
        let weights = exponentials.map { $0 / sum }
        let sigmas = negatives.map { Activation.sigmoid(positive - $0) }
        let probability = max(zip(weights, sigmas).reduce(0) { $0 + $1.0 * $1.1 }, 1e-12)
        let meanSquare = zip(weights, negatives).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        let loss = -log(probability) + lambda * meanSquare
        let dPositive = -zip(weights, sigmas).reduce(0) { $0 + $1.0 * $1.1 * (1 - $1.1) } / probability
        let dNegatives = negatives.indices.map { j in
            let (s, sigma, r) = (weights[j], sigmas[j], negatives[j])
            return s - s * sigma * sigma / probability + lambda * s * (2 * r + r * r - meanSquare)
        }
        return (loss, dPositive, dNegatives)
    }
}
