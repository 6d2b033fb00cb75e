import Foundation

/// Most interacted items: all-time weighted counts, or trending counts that halve every
/// `half_life_hours`. Each event adds its weight scaled by 2^((t − t₀)/h) against a moving
/// reference time t₀, so old and new events decay alike without a clock at ranking time.
/// Items first seen online join the ranking.
struct PopularityModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "popularity",
        summary: "Most interacted items overall, or trending with a half-life.",
        parameters: [
            ParameterDescription(
                name: "half_life_hours",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "0",
                summary: "0 for all-time counts; otherwise the decay half-life in hours."
            )
        ]
    )

    let halfLifeSeconds: Double
    var space = ItemSpace(ids: [], attributes: [])
    /// Weighted counts, scaled to `referenceTime` when decaying.
    var scores: [Float] = []
    var referenceTime: Double = 0

    init(parameters: ResolvedParameters) {
        halfLifeSeconds = parameters.real("half_life_hours") * 3600
    }

    mutating func fit(_ data: TrainingData) {
        space = data.space
        scores = [Float](repeating: 0, count: space.count)
        referenceTime = data.window?.firstTime ?? 0
        for event in data.events { add(event.weight, item: Int(event.item), time: event.time) }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        Ranker(space: space, request: request).top(dense: scores)
    }

    mutating func observe(_ interaction: Interaction) {
        let item = space.insert(interaction.item)
        if scores.count < space.count { scores.append(0) }
        add(interaction.weight, item: Int(item), time: interaction.time)
    }

    /// Adds `weight` at `time`, rebasing the reference time first when the growth factor
    /// would leave Float's comfortable range (2^40).
    private mutating func add(_ weight: Float, item: Int, time: Double) {
        guard halfLifeSeconds > 0 else {
            scores[item] += weight
            return
        }
        var halvings = (time - referenceTime) / halfLifeSeconds
        if halvings > 40 {
            let shrink = Float(exp2(-halvings))
            for index in scores.indices { scores[index] *= shrink }
            referenceTime = time
            halvings = 0
        }
        scores[item] += weight * Float(exp2(halvings))
    }
}
