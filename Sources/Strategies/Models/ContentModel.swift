import Foundation

/// Content-based: items as L2-normalised TF-IDF vectors over the words of their title and
/// text and `name=value` attribute tokens; a unit's profile is the decayed sum of its recent
/// items' vectors; items score by cosine with the profile. Online: observed items join the
/// unit's history, so the next profile includes them (IDF stays as fitted).
struct ContentModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "content",
        summary: "TF-IDF over item text and attributes, scored against the unit's recent items.",
        parameters: [
            ParameterDescription(
                name: "profile_decay",
                kind: .real(minimum: 0, maximum: 1),
                defaultValue: "0.8",
                summary: "Weight of each item in the profile relative to the next more recent one."
            ),
            ParameterDescription(
                name: "history_length",
                kind: .integer(minimum: 1, maximum: 1000),
                defaultValue: "20",
                summary: "How many of the unit's latest items form its profile."
            ),
            ParameterDescription(
                name: "attribute_weight",
                kind: .real(minimum: 0, maximum: 100),
                defaultValue: "1",
                summary: "Term frequency given to each attribute token."
            ),
        ]
    )

    let profileDecay: Float
    let historyLength: Int
    let attributeWeight: Float
    var space = ItemSpace(ids: [], attributes: [])
    var histories = UnitHistories(capacity: 200)
    /// Item → (term, weight), each row of unit length.
    var itemVectors = SparseRows(rows: [], columnCount: 0)
    /// Term → (item, weight): the transpose, for scoring by postings.
    var postings = SparseRows(rows: [], columnCount: 0)

    init(parameters: ResolvedParameters) {
        profileDecay = Float(parameters.real("profile_decay"))
        historyLength = parameters.integer("history_length")
        attributeWeight = Float(parameters.real("attribute_weight"))
    }

    mutating func fit(_ data: TrainingData) {
        space = data.space
        let texts = Dictionary(data.catalogue.items.map { ($0.id, $0.title + " " + $0.text) }) { first, _ in first }
        var vocabulary: [String: Int32] = [:]
        var termCounts: [[Int32: Float]] = []
        for (index, id) in space.ids.enumerated() {
            var counts: [Int32: Float] = [:]
            func add(_ token: String, _ weight: Float) {
                let term = vocabulary[token] ?? Int32(vocabulary.count)
                vocabulary[token] = term
                counts[term, default: 0] += weight
            }
            for word in Tokeniser.words(in: texts[id] ?? "") { add(word, 1) }
            if attributeWeight > 0 {
                for (name, value) in space.attributes[index] { add("\(name)=\(value.lowercased())", attributeWeight) }
            }
            termCounts.append(counts)
        }
        var documentFrequency = [Float](repeating: 0, count: vocabulary.count)
        for counts in termCounts { for term in counts.keys { documentFrequency[Int(term)] += 1 } }
        let itemCount = Float(space.count)
        let vectors = termCounts.map { counts -> [Int32: Float] in
            var vector = counts.mapValues { 1 + log($0) }
            for (term, tf) in vector { vector[term] = tf * (log((itemCount + 1) / (documentFrequency[Int(term)] + 1)) + 1) }
            let norm = vector.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value * $1.value }.squareRoot()
            return norm > 0 ? vector.mapValues { $0 / norm } : vector
        }
        itemVectors = SparseRows(rows: vectors, columnCount: vocabulary.count)
        postings = itemVectors.transposed()
        for unit in data.units.indices {
            for event in data.events(ofUnit: unit) { histories.append(unit: data.units[unit], item: event.item, time: event.time) }
        }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        let context = histories.context(for: request, in: space).suffix(historyLength)
        guard !context.isEmpty else { return [] }
        var profile: [Int32: Float] = [:]
        var weight: Float = 1
        for item in context.reversed() {
            for position in itemVectors.range(ofRow: Int(item)) {
                profile[itemVectors.columns[position], default: 0] += weight * itemVectors.values[position]
            }
            weight *= profileDecay
        }
        // In term order, so the Float sums do not depend on dictionary iteration order.
        let terms = profile.sorted { $0.key < $1.key }
        let norm = terms.reduce(0) { $0 + $1.value * $1.value }.squareRoot()
        guard norm > 0 else { return [] }
        var scores = [Float](repeating: 0, count: space.count)
        for (term, value) in terms {
            let termWeight = value / norm
            for position in postings.range(ofRow: Int(term)) {
                scores[Int(postings.columns[position])] += termWeight * postings.values[position]
            }
        }
        return Ranker(space: space, request: request).top(dense: scores)
    }

    mutating func observe(_ interaction: Interaction) {
        guard let item = space.index(of: interaction.item) else { return }
        histories.append(unit: interaction.unit, item: item, time: interaction.time)
    }
}
