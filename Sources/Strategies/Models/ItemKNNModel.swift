import Foundation

/// Item-based collaborative filtering: items that co-occur in units' histories, scored by
/// cosine c_ij/√(n_i n_j) or asymmetric cosine c_ij/(n_i^α n_j^(1−α)), with the top N
/// neighbours kept per item. Online: a new item in a unit's history adds co-occurrences
/// with its earlier items, recomputes the new item's neighbour list and updates that pair in
/// each partner's list. Items first seen online join the neighbourhoods.
struct ItemKNNModel: StrategyModel {
    static let strategyDescription = StrategyDescription(
        name: "item_knn",
        summary: "Items co-occurring with the unit's recent items (cosine or asymmetric cosine).",
        parameters: [
            ParameterDescription(
                name: "neighbours",
                kind: .integer(minimum: 1, maximum: 10_000),
                defaultValue: "50",
                summary: "Neighbours kept per item."
            ),
            ParameterDescription(
                name: "similarity",
                kind: .choice(["cosine", "asymmetric_cosine"]),
                defaultValue: "cosine",
                summary: "Similarity measure."
            ),
            ParameterDescription(
                name: "alpha",
                kind: .real(minimum: 0, maximum: 1),
                defaultValue: "0.5",
                summary: "Asymmetry of asymmetric cosine (0.5 is cosine)."
            ),
            ParameterDescription(
                name: "window",
                kind: .integer(minimum: 0, maximum: 10_000),
                defaultValue: "0",
                summary: "Co-occurrence only within this many distinct items of each other; 0 for the whole history."
            ),
            ParameterDescription(
                name: "history_length",
                kind: .integer(minimum: 1, maximum: 1000),
                defaultValue: "20",
                summary: "How many of the unit's latest items are scored against."
            ),
        ]
    )

    struct Neighbour: Sendable, Codable {
        var item: Int32
        var similarity: Float
    }

    let neighbourCount: Int
    let alpha: Float
    let window: Int
    let historyLength: Int
    var space = ItemSpace(ids: [], attributes: [])
    var histories = UnitHistories(capacity: 500)
    /// Units that touched each item.
    var itemCounts: [Float] = []
    /// n_i^α and n_i^(1−α), cached so refreshing a neighbour list costs one division per pair.
    var leftNorms: [Float] = []
    var rightNorms: [Float] = []
    var cooccurrence: [[Int32: Float]] = []
    var neighbours: [[Neighbour]] = []

    init(parameters: ResolvedParameters) {
        neighbourCount = parameters.integer("neighbours")
        alpha = parameters.text("similarity") == "cosine" ? 0.5 : Float(parameters.real("alpha"))
        window = parameters.integer("window")
        historyLength = parameters.integer("history_length")
    }

    mutating func fit(_ data: TrainingData) {
        space = data.space
        itemCounts = [Float](repeating: 0, count: space.count)
        leftNorms = itemCounts
        rightNorms = itemCounts
        cooccurrence = Array(repeating: [:], count: space.count)
        for unit in data.units.indices {
            var distinct: [Int32] = []
            var seen = Set<Int32>()
            for event in data.events(ofUnit: unit) {
                histories.append(unit: data.units[unit], item: event.item, time: event.time)
                guard seen.insert(event.item).inserted else { continue }
                addCooccurrences(of: event.item, with: distinct)
                distinct.append(event.item)
            }
        }
        neighbours = (0..<space.count).map { topNeighbours(of: Int32($0)) }
    }

    func recommend(_ request: RecommendationRequest) -> [ScoredItem] {
        let context = histories.context(for: request, in: space).suffix(historyLength)
        guard !context.isEmpty else { return [] }
        var scores: [Int32: Float] = [:]
        for item in context {
            for neighbour in neighbours[Int(item)] { scores[neighbour.item, default: 0] += neighbour.similarity }
        }
        return Ranker(space: space, request: request).top(sparse: scores)
    }

    mutating func observe(_ interaction: Interaction) {
        let item = space.insert(interaction.item)
        if itemCounts.count < space.count {
            itemCounts.append(0)
            leftNorms.append(0)
            rightNorms.append(0)
            cooccurrence.append([:])
            neighbours.append([])
        }
        let previous = histories.byUnit[interaction.unit]?.items ?? []
        histories.append(unit: interaction.unit, item: item, time: interaction.time)
        guard !previous.contains(item) else { return }
        var distinct: [Int32] = []
        var seen = Set<Int32>()
        for earlier in previous where seen.insert(earlier).inserted { distinct.append(earlier) }
        let partners = addCooccurrences(of: item, with: distinct)
        neighbours[Int(item)] = topNeighbours(of: item)
        for partner in partners { updateNeighbour(of: partner, to: item) }
    }

    /// Puts `other` into `item`'s neighbour list with its new similarity, if it ranks; the
    /// other entries keep their fitted values until a refit (one pair changed).
    private mutating func updateNeighbour(of item: Int32, to other: Int32) {
        let count = cooccurrence[Int(item)][other] ?? 0
        let similarity = count / (leftNorms[Int(item)] * rightNorms[Int(other)])
        var list = neighbours[Int(item)]
        if let position = list.firstIndex(where: { $0.item == other }) {
            list[position].similarity = similarity
        } else if list.count < neighbourCount {
            list.append(Neighbour(item: other, similarity: similarity))
        } else if let worst = list.last, similarity > worst.similarity || (similarity == worst.similarity && other < worst.item) {
            list[list.count - 1] = Neighbour(item: other, similarity: similarity)
        } else {
            return
        }
        list.sort { $0.similarity > $1.similarity || ($0.similarity == $1.similarity && $0.item < $1.item) }
        neighbours[Int(item)] = list
    }

    /// Counts `item` once more and pairs it with the tail of `earlier` allowed by the window;
    /// returns the partners.
    @discardableResult
    private mutating func addCooccurrences(of item: Int32, with earlier: [Int32]) -> [Int32] {
        itemCounts[Int(item)] += 1
        leftNorms[Int(item)] = pow(itemCounts[Int(item)], alpha)
        rightNorms[Int(item)] = pow(itemCounts[Int(item)], 1 - alpha)
        let partners = window == 0 ? earlier[...] : earlier.suffix(window)
        for partner in partners {
            cooccurrence[Int(item)][partner, default: 0] += 1
            cooccurrence[Int(partner)][item, default: 0] += 1
        }
        return Array(partners)
    }

    /// c_ij / (n_i^α · n_j^(1−α)) for the best `neighbourCount` items j.
    private func topNeighbours(of item: Int32) -> [Neighbour] {
        var heap = TopK(capacity: neighbourCount)
        let left = leftNorms[Int(item)]
        rightNorms.withUnsafeBufferPointer { right in
            for (other, count) in cooccurrence[Int(item)] { heap.offer(count / (left * right[Int(other)]), other) }
        }
        return heap.sorted().map { Neighbour(item: $0.item, similarity: $0.score) }
    }
}
