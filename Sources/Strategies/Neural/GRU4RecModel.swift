/// A GRU session model in the style of GRU4Rec (Hidasi et al. 2016, 2018): each session's
/// items feed an embedding and a stack of GRU layers; the top hidden state scores every item
/// by dot product with its output vector plus a bias. Trained with session-parallel
/// mini-batches and cross-entropy or BPR-max over in-batch and sampled negatives. Online: each
/// unit's hidden state is kept, so `observe` costs one GRU step and the next recommendation
/// follows the session. A pause longer than the session gap starts a fresh state. A request's
/// recent items are stepped from the kept state, except those it has already consumed. Items
/// unseen at fit time are ignored (they have no embedding).
struct GRU4RecModel: StrategyModel {
    /// A unit's running session: the flattened hidden state of every layer, its last event
    /// time, and its latest items (at most `keptItemCount`, oldest first), the ones the state
    /// has consumed.
    struct SessionState: Sendable, Codable, Equatable {
        var hidden: [Float]
        var lastTime: Double
        var items: [Int] = []
    }

    let embeddingSize: Int
    let hiddenSize: Int
    let layerCount: Int
    let loss: RankingLoss
    let bprRegularization: Float
    let sessionGap: Double
    let settings: TrainingSettings
    var space = ItemSpace(ids: [], attributes: [])
    var weights: GRU4RecWeights?
    var sessions: [String: SessionState] = [:]

    init(parameters: ResolvedParameters) {
        embeddingSize = parameters.integer("embedding_size")
        hiddenSize = parameters.integer("hidden_size")
        layerCount = parameters.integer("layers")
        // The choice is validated against RankingLoss's raw values.
        loss = RankingLoss(rawValue: parameters.text("loss")) ?? .crossEntropy
        bprRegularization = Float(parameters.real("bpr_max_regularization"))
        sessionGap = parameters.real("session_gap_minutes") * 60
        settings = TrainingSettings(parameters)
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        guard let weights else { return [] }
        let state = sessions[request.unit]
        var hidden = state?.hidden
        let recent = Self.unconsumed(request.recentItems.compactMap { space.index(of: $0) }.map(Int.init), after: state?.items ?? [])
        if !recent.isEmpty { hidden = weights.advance(hidden, through: recent) }
        let top = hidden.map { Array($0.suffix(hiddenSize)) } ?? [Float](repeating: 0, count: hiddenSize)
        return Ranker(space: space, request: request).top(dense: weights.scores(top: top))
    }

    mutating func observe(_ interaction: Interaction) {
        guard let weights, let item = space.index(of: interaction.item) else { return }
        var state = sessions[interaction.unit]
        if let previous = state, sessionGap > 0, interaction.time - previous.lastTime > sessionGap { state = nil }
        let hidden = weights.advance(state?.hidden, through: [Int(item)])
        sessions[interaction.unit] = SessionState(
            hidden: hidden,
            lastTime: max(interaction.time, state?.lastTime ?? -.infinity),
            items: Array(((state?.items ?? []) + [Int(item)]).suffix(Self.keptItemCount))
        )
    }
}
