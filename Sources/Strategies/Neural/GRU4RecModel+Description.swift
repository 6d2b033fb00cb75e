extension GRU4RecModel {
    static let strategyDescription = StrategyDescription(
        name: "gru4rec",
        summary: "GRU session model (GRU4Rec): next-item scores from the session so far, updated per event.",
        parameters: [
            ParameterDescription(
                name: "embedding_size",
                kind: .integer(minimum: 1, maximum: 1024),
                defaultValue: "64",
                summary: "Dimensions of the input item embedding."
            ),
            ParameterDescription(name: "hidden_size", kind: .integer(minimum: 1, maximum: 1024), defaultValue: "64", summary: "Units per GRU layer."),
            ParameterDescription(name: "layers", kind: .integer(minimum: 1, maximum: 4), defaultValue: "1", summary: "Stacked GRU layers."),
            ParameterDescription(
                name: "loss",
                kind: .choice(RankingLoss.allCases.map(\.rawValue)),
                defaultValue: RankingLoss.crossEntropy.rawValue,
                summary: "cross_entropy (sampled softmax) or bpr_max."
            ),
            ParameterDescription(
                name: "bpr_max_regularization",
                kind: .real(minimum: 0, maximum: 100),
                defaultValue: "1",
                summary: "λ of BPR-max's score regularisation."
            ),
            ParameterDescription(
                name: "session_gap_minutes",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "30",
                summary: "A pause longer than this starts a new session; 0 never splits."
            ),
        ] + NeuralParameters.training(epochs: 10, learningRate: NeuralParameters.defaultLearningRate, optimiser: .adam)
    )
}
