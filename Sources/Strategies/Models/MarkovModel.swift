/// First-order Markov chain over items: P(next = b | last = a) from consecutive pairs in each
/// unit's time-ordered events (split at session gaps). Scores the successors of the last
/// item, backs off to earlier items with geometrically smaller weight, then to popularity.
/// Online: each observed interaction adds the transition from the unit's previous item;
/// items first seen online join the chain.
struct MarkovModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "markov",
        summary: "First-order item transitions for next-item recommendation, backing off to popularity.",
        parameters: [
            ParameterDescription(
                name: "backoff",
                kind: .real(minimum: 0, maximum: 1),
                defaultValue: "0.3",
                summary: "Weight of each earlier item's transitions relative to the next later one."
            ),
            ParameterDescription(
                name: "history_length",
                kind: .integer(minimum: 1, maximum: 100),
                defaultValue: "3",
                summary: "How many latest items contribute transitions."
            ),
            ParameterDescription(
                name: "session_gap_minutes",
                kind: .real(minimum: 0, maximum: nil),
                defaultValue: "30",
                summary: "No transition across a pause longer than this; 0 never splits."
            ),
        ]
    )

    let backoff: Float
    let historyLength: Int
    let sessionGap: Double
    var space = ItemSpace(ids: [], attributes: [])
    var histories = UnitHistories(capacity: 100)
    var transitions: [[Int32: Float]] = []
    var outgoing: [Float] = []
    var popularity: [Float] = []
    var maximumPopularity: Float = 0

    init(parameters: ResolvedParameters) {
        backoff = Float(parameters.real("backoff"))
        historyLength = parameters.integer("history_length")
        sessionGap = parameters.real("session_gap_minutes") * 60
    }

    mutating func fit(_ data: TrainingData) {
        space = data.space
        transitions = Array(repeating: [:], count: space.count)
        outgoing = [Float](repeating: 0, count: space.count)
        popularity = [Float](repeating: 0, count: space.count)
        for unit in data.units.indices {
            for event in data.events(ofUnit: unit) {
                learn(unit: data.units[unit], item: event.item, weight: event.weight, time: event.time)
            }
        }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        let context = histories.context(for: request, in: space)
        // Popularity, scaled far below any transition probability, orders the rest.
        let floor = maximumPopularity > 0 ? 1e-4 / maximumPopularity : 0
        var scores = popularity.map { $0 * floor }
        var weight: Float = 1
        for item in context.suffix(historyLength).reversed() {
            let total = outgoing[Int(item)]
            if total > 0 {
                for (next, count) in transitions[Int(item)] { scores[Int(next)] += weight * count / total }
            }
            weight *= backoff
        }
        return Ranker(space: space, request: request).top(dense: scores)
    }

    mutating func observe(_ interaction: Interaction) {
        let item = space.insert(interaction.item)
        if popularity.count < space.count {
            transitions.append([:])
            outgoing.append(0)
            popularity.append(0)
        }
        learn(unit: interaction.unit, item: item, weight: interaction.weight, time: interaction.time)
    }

    private mutating func learn(unit: String, item: Int32, weight: Float, time: Double) {
        if let history = histories.byUnit[unit], let last = history.items.last, last != item,
            sessionGap == 0 || time - history.lastTime <= sessionGap
        {
            transitions[Int(last)][item, default: 0] += 1
            outgoing[Int(last)] += 1
        }
        histories.append(unit: unit, item: item, time: time)
        popularity[Int(item)] += weight
        maximumPopularity = max(maximumPopularity, popularity[Int(item)])
    }
}
