/// Parameter descriptions shared by the neural strategies: optimisation, sampling, early
/// stopping and seeding, with the same names and ranges in both.
enum NeuralParameters {
    /// Adam's default step size for both models. 0.01 overshoots on real data: on MovieLens
    /// 100K (leave-last-out NDCG@10, docs/strategies.md) gru4rec scored 0.041 and two_tower
    /// 0.038 at 0.01, below popularity's 0.045; at 0.002 both score 0.071 (two_tower: 0.059 at
    /// 0.005, 0.066 at 0.003, 0.054 at 0.001, where ten epochs are too few).
    static let defaultLearningRate = 0.002
    /// Epochs without a better validation NDCG before training stops. With the slower step
    /// the validation score wobbles from epoch to epoch: at patience 2 gru4rec stopped on
    /// MovieLens before its best epoch (0.066 against 0.071 at 3).
    static let defaultPatience = 3

    static func training(epochs: Int, learningRate: Double, optimiser: OptimiserKind) -> [ParameterDescription] {
        [
            ParameterDescription(
                name: "epochs",
                kind: .integer(minimum: 1, maximum: 1000),
                defaultValue: String(epochs),
                summary: "Most passes over the training data."
            ),
            ParameterDescription(
                name: "batch_size",
                kind: .integer(minimum: 1, maximum: 4096),
                defaultValue: "32",
                summary: "Sequences (or examples) trained in parallel per step; their targets are each other's negatives."
            ),
            ParameterDescription(
                name: "negative_samples",
                kind: .integer(minimum: 0, maximum: 10_000),
                defaultValue: "64",
                summary: "Extra negatives per step, drawn by popularity^sample_alpha."
            ),
            ParameterDescription(
                name: "sample_alpha",
                kind: .real(minimum: 0, maximum: 1),
                defaultValue: "0.5",
                summary: "0 samples negatives uniformly over seen items, 1 by popularity."
            ),
            ParameterDescription(
                name: "optimiser",
                kind: .choice(OptimiserKind.allCases.map(\.rawValue)),
                defaultValue: optimiser.rawValue,
                summary: "adagrad or adam."
            ),
            ParameterDescription(
                name: "learning_rate",
                kind: .real(minimum: 1e-6, maximum: 10),
                defaultValue: String(learningRate),
                summary: "Optimiser step size."
            ),
            ParameterDescription(
                name: "patience",
                kind: .integer(minimum: 0, maximum: 1000),
                defaultValue: String(defaultPatience),
                summary: "Stop after this many epochs without a better validation NDCG@10 (best weights kept); 0 trains all epochs."
            ),
            ParameterDescription(
                name: "validation_fraction",
                kind: .real(minimum: 0, maximum: 0.5),
                defaultValue: "0.1",
                summary: "Share of sequences (at most 2,000) held out to compute validation NDCG@10 each epoch; 0 holds none out."
            ),
            ParameterDescription(
                name: "seed",
                kind: .integer(minimum: 0, maximum: nil),
                defaultValue: "42",
                summary: "Seed of initialisation, shuffling and sampling."
            ),
        ]
    }
}

/// The training settings both neural strategies read from their parameters.
struct TrainingSettings: Sendable, Codable, Equatable {
    var epochs: Int
    var batchSize: Int
    var negativeSamples: Int
    var sampleAlpha: Double
    var optimiser: OptimiserKind
    var learningRate: Float
    var patience: Int
    var validationFraction: Double
    var seed: UInt64

    init(_ parameters: ResolvedParameters) {
        epochs = parameters.integer("epochs")
        batchSize = parameters.integer("batch_size")
        negativeSamples = parameters.integer("negative_samples")
        sampleAlpha = parameters.real("sample_alpha")
        // The choice is validated against OptimiserKind's raw values.
        optimiser = OptimiserKind(rawValue: parameters.text("optimiser")) ?? .adam
        learningRate = Float(parameters.real("learning_rate"))
        patience = parameters.integer("patience")
        validationFraction = parameters.real("validation_fraction")
        seed = UInt64(parameters.integer("seed"))
    }

    /// How many of `count` sequences to hold out for validation: none when the fraction is 0
    /// or fewer than 10 sequences exist, else at least one and at most `maximumValidation`
    /// (each costs a full-catalogue scoring per epoch).
    func validationCount(of count: Int) -> Int {
        guard validationFraction > 0, count >= 10 else { return 0 }
        return min(Self.maximumValidation, max(1, Int(Double(count) * validationFraction)))
    }

    static let maximumValidation = 2_000
}
