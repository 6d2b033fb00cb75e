import Synchronization

/// A bounded in-memory queue of impressions between the decision handlers and the writer.
/// When it is full the newest impression is dropped and counted, so decisions never wait.
/// Every appended decision is also remembered in `recent`, so its feedback is recognised
/// before the impression reaches PostgreSQL.
final class ImpressionBuffer: Sendable {
    private let queue = Mutex<[Impression]>([])
    let capacity: Int
    private let metrics: ServerMetrics
    let recent: RecentRequests

    init(capacity: Int, metrics: ServerMetrics, recent: RecentRequests = RecentRequests()) {
        self.capacity = capacity
        self.metrics = metrics
        self.recent = recent
    }

    var count: Int { queue.withLock { $0.count } }

    func append(_ impression: Impression) {
        recent.remember(impression.requestID, unit: impression.unitID)
        let accepted = queue.withLock { queue -> Bool in
            guard queue.count < capacity else { return false }
            queue.append(impression)
            return true
        }
        if !accepted { metrics.impressionsDropped.add(1, ordering: .relaxed) }
    }

    /// Takes up to `limit` impressions, oldest first.
    func take(upTo limit: Int) -> [Impression] {
        queue.withLock { queue in
            let taken = Array(queue.prefix(limit))
            queue.removeFirst(taken.count)
            return taken
        }
    }

    /// Puts back impressions a failed flush took, ahead of newer ones (as room allows).
    func putBack(_ impressions: [Impression]) {
        let dropped = queue.withLock { queue -> Int in
            let room = max(0, capacity - queue.count)
            queue.insert(contentsOf: impressions.prefix(room), at: 0)
            return impressions.count - min(room, impressions.count)
        }
        if dropped > 0 { metrics.impressionsDropped.add(dropped, ordering: .relaxed) }
    }
}
