import Synchronization

/// A bounded in-memory queue of impressions between the decision handlers and the writer.
/// An impression it takes is never dropped: when it is full a new one is refused (the decision
/// answers 503 with Retry-After and is not remembered), and a batch a failed flush puts back
/// is always reinserted, so the queue may exceed `capacity` by one batch. Every accepted
/// decision is also remembered in `recent`, so its feedback is recognised before the
/// impression reaches PostgreSQL.
final class ImpressionBuffer: Sendable {
    private let queue = Mutex<[Impression]>([])
    let capacity: Int
    let recent: RecentRequests

    /// The answer to a decision whose impression found the buffer full.
    static let full = APIError(
        .serviceUnavailable,
        "The service holds too many impressions PostgreSQL has not taken yet; retry the decision after the Retry-After seconds",
        retryAfter: 1
    )

    init(capacity: Int, recent: RecentRequests = RecentRequests()) {
        self.capacity = capacity
        self.recent = recent
    }

    var count: Int { queue.withLock { $0.count } }

    /// Queues `impression` and remembers its decision; throws `full` (nothing kept, nothing
    /// remembered) when `capacity` impressions already wait. The caller that answers the
    /// refusal counts it (`DecisionService.decide`).
    func append(_ impression: Impression) throws {
        let accepted = queue.withLock { queue -> Bool in
            guard queue.count < capacity else { return false }
            queue.append(impression)
            return true
        }
        guard accepted else { throw Self.full }
        recent.remember(impression.requestID, unit: impression.unitID)
    }

    /// Takes up to `limit` impressions, oldest first. Taking them all (the usual case, when
    /// the writer keeps up) swaps the queue out, so the decision handlers that append wait
    /// on the lock for a pointer swap, not for a copy of thousands of impressions.
    func take(upTo limit: Int) -> [Impression] {
        var fresh: [Impression] = []
        fresh.reserveCapacity(min(limit, capacity))  // allocated before the lock is taken
        return queue.withLock { queue in
            guard queue.count > limit else {
                swap(&queue, &fresh)
                return fresh
            }
            let taken = Array(queue.prefix(limit))
            queue.removeFirst(taken.count)
            return taken
        }
    }

    /// Puts back impressions a failed flush took, ahead of newer ones, whatever the capacity:
    /// they belong to answered decisions.
    func putBack(_ impressions: some Collection<Impression>) {
        guard !impressions.isEmpty else { return }
        queue.withLock { $0.insert(contentsOf: impressions, at: 0) }
    }
}
