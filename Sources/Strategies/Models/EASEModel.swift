/// Steck's EASE (2019): an item-item weight matrix in closed form, B = I − P·diag(1/diag(P))
/// with P = (XᵀX + λI)⁻¹, so scores are x_u·B. Memory is items² and fit time items³, so it
/// refuses catalogues above `max_items`. x_u is the binary vector of every item the unit
/// interacted with (not a window of recent items), as in Steck's paper. Online: observed items
/// join the unit's items and change its next scores; B changes only on refit.
struct EASEModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "ease",
        summary: "Embarrassingly shallow autoencoder (Steck): closed-form item-item weights.",
        parameters: [
            ParameterDescription(name: "lambda", kind: .real(minimum: 0, maximum: nil), defaultValue: "100", summary: "L2 penalty on the weights."),
            ParameterDescription(
                name: "max_items",
                kind: .integer(minimum: 1, maximum: 50_000),
                defaultValue: "5000",
                summary: "Largest catalogue fitted (memory items², time items³)."
            ),
        ]
    )

    let lambda: Double
    let maxItems: Int
    var space = ItemSpace(ids: [], attributes: [])
    /// Every distinct item of each unit (at most the catalogue's size per unit).
    var histories = UnitHistories(capacity: .max)
    /// Row-major items × items; row i holds item i's contribution to every score.
    var weights: [Float] = []

    init(parameters: ResolvedParameters) {
        lambda = parameters.real("lambda")
        maxItems = parameters.integer("max_items")
    }

    mutating func fit(_ data: TrainingData) throws(StrategyError) {
        let n = data.space.count
        guard n <= maxItems else {
            throw .catalogueTooLarge(strategy: Self.strategyDescription.name, items: n, limit: maxItems, parameter: "max_items")
        }
        space = data.space
        var gram = [Double](repeating: 0, count: n * n)
        for unit in data.units.indices {
            let items = Array(Set(data.events(ofUnit: unit).map { Int($0.item) }))
            for a in items { for b in items { gram[a * n + b] += 1 } }
            for event in data.events(ofUnit: unit) { histories.appendDistinct(unit: data.units[unit], item: event.item, time: event.time) }
        }
        for i in 0..<n { gram[i * n + i] += lambda }
        // With λ > 0 the Gram matrix is positive definite; with λ = 0 and a rank-deficient XᵀX
        // a tiny ridge keeps the inverse defined.
        var lower = Cholesky.factor(gram, n: n)
        if lower == nil {
            for i in 0..<n { gram[i * n + i] += 1e-6 }
            lower = Cholesky.factor(gram, n: n)
        }
        gram = []  // Release n² doubles before the inverse allocates its own.
        guard let lower else { return }
        let inverse = Cholesky.inverse(lower: lower, n: n)
        weights = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n where i != j { weights[i * n + j] = Float(-inverse[i * n + j] / inverse[j * n + j]) }
        }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        let context = histories.context(for: request, in: space)
        guard !context.isEmpty, !weights.isEmpty else { return [] }
        let n = space.count
        var scores = [Float](repeating: 0, count: n)
        scores.withUnsafeMutableBufferPointer { output in
            weights.withUnsafeBufferPointer { matrix in
                guard let out = output.baseAddress, let base = matrix.baseAddress else { return }
                for item in context { VectorMath.axpy(1, base + Int(item) * n, out, n) }
            }
        }
        return Ranker(space: space, request: request).top(dense: scores)
    }

    mutating func observe(_ interaction: Interaction) {
        guard let item = space.index(of: interaction.item) else { return }
        histories.appendDistinct(unit: interaction.unit, item: item, time: interaction.time)
    }
}
