/// What each unit touched, most recent last, as item indices, capped in length; with the
/// time of its last interaction for session boundaries.
struct UnitHistories: Sendable, Codable {
    struct History: Sendable, Codable {
        var items: [Int32] = []
        var lastTime: Double = -.infinity
    }

    var byUnit: [String: History] = [:]
    let capacity: Int

    init(capacity: Int = 200) {
        self.capacity = capacity
    }

    mutating func append(unit: String, item: Int32, time: Double) {
        var history = byUnit[unit] ?? History()
        history.items.append(item)
        if history.items.count > capacity { history.items.removeFirst(history.items.count - capacity) }
        history.lastTime = max(history.lastTime, time)
        byUnit[unit] = history
    }

    /// Records `item` once per unit: an item seen before moves to the end instead of repeating,
    /// so the history is the unit's set of distinct items, most recent last, and never holds
    /// more entries than the catalogue has items (for strategies that score from every item
    /// the unit touched, such as EASE, with `capacity: .max`).
    mutating func appendDistinct(unit: String, item: Int32, time: Double) {
        var history = byUnit[unit] ?? History()
        if let earlier = history.items.lastIndex(of: item) { history.items.remove(at: earlier) }
        history.items.append(item)
        if history.items.count > capacity { history.items.removeFirst(history.items.count - capacity) }
        history.lastTime = max(history.lastTime, time)
        byUnit[unit] = history
    }

    /// The unit's remembered items followed by the request's recent items, each item once at
    /// its latest position, most recent last.
    func context(for request: RecommendationRequest, in space: ItemSpace) -> [Int32] {
        let remembered = byUnit[request.unit]?.items ?? []
        let recent = request.recentItems.compactMap { space.index(of: $0) }
        var seen = Set<Int32>()
        var reversed: [Int32] = []
        for item in (remembered + recent).reversed() where seen.insert(item).inserted {
            reversed.append(item)
        }
        return reversed.reversed()
    }
}
