import Foundation
import PostgresClient

/// Sticky mode's memory: the first arm each unit got in an experiment, stored in
/// PostgreSQL (so every server agrees and restarts keep it) and cached in memory.
public final class StickyAssignments: Sendable {
    private let pool: PostgresConnectionPool
    private let cache: BoundedCache

    /// A store over `pool`, caching up to `cacheSize` units.
    public init(pool: PostgresConnectionPool, cacheSize: Int = 100_000) {
        self.pool = pool
        cache = BoundedCache(capacity: cacheSize)
    }

    /// The arm `unit` first received in `experiment`, if it was recorded.
    public func arm(experiment: String, unit: String) async throws -> String? {
        if let cached = cache[experiment, unit] { return cached }
        let stored = try await pool.withConnection { db in
            try db.query("SELECT arm FROM unit_assignments WHERE experiment = \(experiment) AND unit_id = \(unit)").first?.decode(String.self, at: 0)
        }
        if let stored { cache[experiment, unit] = stored }
        return stored
    }

    /// The unit's first arm when it is in memory; nil says nothing (ask `arm`).
    public func cachedArm(experiment: String, unit: String) -> String? {
        cache[experiment, unit]
    }

    /// Records `arm` as the unit's first arm unless one is recorded already; returns the
    /// arm that holds (the earlier one when two servers raced).
    public func remember(experiment: String, unit: String, arm: String) async throws -> String {
        let holding = try await pool.withConnection { db in
            try db.query(
                """
                WITH inserted AS (
                    INSERT INTO unit_assignments (experiment, unit_id, arm) VALUES (\(experiment), \(unit), \(arm))
                    ON CONFLICT (experiment, unit_id) DO NOTHING RETURNING arm
                )
                SELECT arm FROM inserted
                UNION ALL
                SELECT arm FROM unit_assignments WHERE experiment = \(experiment) AND unit_id = \(unit)
                LIMIT 1
                """
            ).first?.decode(String.self, at: 0)
                // Empty when another server's insert of this unit committed after this
                // statement's snapshot was taken: the conflict saw the row, the SELECT did not.
                // A new statement has a new snapshot and sees it.
                ?? db.query("SELECT arm FROM unit_assignments WHERE experiment = \(experiment) AND unit_id = \(unit)")[0].decode(String.self, at: 0)
        }
        cache[experiment, unit] = holding
        return holding
    }

    /// A dictionary that forgets everything when it grows past its capacity: simple, and
    /// enough for a cache whose misses are one indexed lookup.
    private final class BoundedCache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [String: String] = [:]
        private let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
        }

        subscript(experiment: String, unit: String) -> String? {
            get {
                lock.lock()
                defer { lock.unlock() }
                return entries[experiment + "\u{1F}" + unit]
            }
            set {
                lock.lock()
                defer { lock.unlock() }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
                entries[experiment + "\u{1F}" + unit] = newValue
            }
        }
    }
}
