import Foundation
import Synchronization

/// The request ids of recent decisions with their unit, so POST /v1/events can check an
/// event's request_id without a query while its impression is still on its way to
/// PostgreSQL. Bounded: each of its shards forgets its oldest ids first, and an id forgotten
/// is looked up in `impressions` instead. Sharded by the id's first byte, so concurrent
/// decisions rarely wait for one another.
final class RecentRequests: Sendable {
    /// Ids remembered in all, by default (about 15 MB; at 10 000 decisions/s, the last 26 s).
    static let defaultCapacity = 1 << 18
    private static let shardCount = 16

    private let shards: [Shard]

    init(capacity: Int = RecentRequests.defaultCapacity) {
        let perShard = max(1, capacity / Self.shardCount)
        shards = (0..<Self.shardCount).map { _ in Shard(capacity: perShard) }
    }

    /// Records that a decision with `id` was made for `unit`.
    func remember(_ id: UUID, unit: String) {
        shard(of: id).state.withLock { $0.insert(id, unit: unit) }
    }

    /// The unit a remembered decision was made for; nil when `id` is not (or no longer) known.
    func unit(of id: UUID) -> String? {
        shard(of: id).state.withLock { $0.units[id] }
    }

    private func shard(of id: UUID) -> Shard {
        shards[Int(id.uuid.0) % Self.shardCount]
    }

    private final class Shard: Sendable {
        let state: Mutex<Ring>
        init(capacity: Int) { state = Mutex(Ring(capacity: capacity)) }
    }

    /// A fixed-size ring of ids and the map from id to unit it keeps in step.
    struct Ring {
        private var order: [UUID?]
        private(set) var units: [UUID: String] = [:]
        private var next = 0

        init(capacity: Int) {
            order = Array(repeating: nil, count: max(1, capacity))
        }

        mutating func insert(_ id: UUID, unit: String) {
            guard units.updateValue(unit, forKey: id) == nil else { return }
            if let evicted = order[next] { units.removeValue(forKey: evicted) }
            order[next] = id
            next = (next + 1) % order.count
        }
    }
}
