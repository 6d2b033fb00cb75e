/// A two-tower retrieval model (Covington et al. 2016; Yi et al. 2019): a user tower over the
/// unit's recent items and an item tower over the item's id and content tokens, scored by dot
/// product and trained with sampled softmax over in-batch and sampled negatives. Items in the
/// catalogue with text or attributes but no interactions score through their content, so they
/// can be recommended before anyone has touched them (id dropout in training teaches the
/// content path to stand alone). Online: observed items join the unit's history, so the next
/// user vector includes them; item vectors stay as fitted. From `index_min_items` items the
/// top K comes from an HNSW index over the item vectors, re-scored exactly (as ALS and BPR).
struct TwoTowerModel: StrategyModel {
    let dimensions: Int
    let historyLength: Int
    let idDropout: Double
    let settings: TrainingSettings
    var space = ItemSpace(ids: [], attributes: [])
    var histories = UnitHistories(capacity: 200)
    var weights: TwoTowerWeights?
    /// Every item's tower output, items × dimensions, computed once per fit.
    var itemVectors = Matrix(rows: 0, columns: 0)
    /// The HNSW index over the item vectors (inactive below `index_min_items`); nil in models
    /// saved before two_tower had one, which rank exactly.
    var index: EmbeddingIndex?

    init(parameters: ResolvedParameters) {
        dimensions = parameters.integer("dimensions")
        historyLength = parameters.integer("history_length")
        idDropout = parameters.real("id_dropout")
        settings = TrainingSettings(parameters)
        index = EmbeddingIndex(settings: IndexSettings(parameters, seed: parameters.integer("seed")))
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        guard let weights else { return [] }
        let context = histories.context(for: request, in: space).suffix(historyLength).map(Int.init)
        let user = weights.userTower([context]).output.values
        let ranker = Ranker(space: space, request: request)
        let exact = { ranker.top(dense: VectorMath.matrixVector(itemVectors.values, columns: dimensions, user)) }
        guard let index else { return exact() }
        return index.top(query: user + [0], ranker: ranker, itemCount: space.count, score: { score(item: $0, user) }, exact: exact)
    }

    /// The index's rows: each item vector v followed by √(M² − ‖v‖²), M the largest norm. Every
    /// row then has norm M, so a query [u, 0] ranks rows by u·v exactly as before, while the
    /// graph, built between vectors of one length, stays as well connected as a cosine graph.
    /// Without it, tower outputs of very different lengths left items no search could reach
    /// (the reduction of Bachrach et al. 2014, "Speeding up the Xbox recommender system").
    static func indexRows(_ vectors: Matrix) -> [Float] {
        let columns = vectors.columns
        guard columns > 0 else { return [] }
        let squaredNorms = stride(from: 0, to: vectors.values.count, by: columns).map { start in
            vectors.values[start..<(start + columns)].reduce(Float(0)) { $0 + $1 * $1 }
        }
        let largest = squaredNorms.max() ?? 0
        var rows = [Float]()
        rows.reserveCapacity(squaredNorms.count * (columns + 1))
        for (item, squaredNorm) in squaredNorms.enumerated() {
            rows.append(contentsOf: vectors.values[(item * columns)..<((item + 1) * columns)])
            rows.append((largest - squaredNorm).squareRoot())
        }
        return rows
    }

    /// The item's vector · the user's, the score exact ranking gives.
    func score(item: Int32, _ user: [Float]) -> Float {
        itemVectors.values.withUnsafeBufferPointer { items in
            user.withUnsafeBufferPointer { query in
                guard let itemBase = items.baseAddress, let queryBase = query.baseAddress else { return Float(0) }
                return VectorMath.dot(itemBase + Int(item) * dimensions, queryBase, dimensions)
            }
        }
    }

    mutating func observe(_ interaction: Interaction) {
        guard let item = space.index(of: interaction.item) else { return }
        histories.append(unit: interaction.unit, item: item, time: interaction.time)
    }

    /// Every item's vector from the item tower. Training kept each id vector with probability
    /// 1 − id_dropout, so inference scales id vectors by that (dropout's expectation), which
    /// keeps items with a trained id from drowning out items known only by content.
    static func itemVectors(_ weights: TwoTowerWeights, tokens: ItemTokens, idDropout: Double) -> Matrix {
        let items = Array(tokens.tokens.indices)
        let keep = [Float](repeating: Float(1 - idDropout), count: items.count)
        return weights.itemOutput.forward(weights.itemFeatures(items, tokens: tokens.tokens, idMask: keep))
    }
}

extension TwoTowerModel {
    static let strategyDescription = StrategyDescription(
        name: "two_tower",
        summary: "Two-tower model: recent items against item id and content tokens; scores new items with content.",
        parameters: [
            ParameterDescription(
                name: "dimensions",
                kind: .integer(minimum: 1, maximum: 1024),
                defaultValue: "64",
                summary: "Dimensions of the embeddings and of both towers' outputs."
            ),
            ParameterDescription(
                name: "history_length",
                kind: .integer(minimum: 1, maximum: 200),
                defaultValue: "20",
                summary: "How many of the unit's latest items the user tower pools."
            ),
            ParameterDescription(
                name: "id_dropout",
                kind: .real(minimum: 0, maximum: 1),
                defaultValue: "0.5",
                summary: "Share of training candidates scored without their id vector, so content alone learns to rank."
            ),
        ] + NeuralParameters.training(epochs: 10, learningRate: NeuralParameters.defaultLearningRate, optimiser: .adam)
            + IndexSettings.parameters
    )
}
