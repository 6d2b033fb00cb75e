/// The last `capacity` event ids seen, so a client's retry of a batch is not learned twice
/// by the strategies' online update. Bounded: an id older than the window counts as new
/// (a retry that late is rare; storage still deduplicates it exactly).
struct RecentEventIDs {
    private var ring: [String?]
    private var members: Set<String> = []
    private var next = 0

    init(capacity: Int) {
        ring = Array(repeating: nil, count: max(1, capacity))
    }

    /// Records `id`; false when it is already among the recent ones.
    mutating func insert(_ id: String) -> Bool {
        guard !members.contains(id) else { return false }
        if let evicted = ring[next] { members.remove(evicted) }
        ring[next] = id
        members.insert(id)
        next = (next + 1) % ring.count
        return true
    }
}
