import Foundation

@testable import Sim

/// Small worlds the tests share, so each suite builds in milliseconds.
enum TestWorlds {
    /// 2026-11-01T00:00:00Z (python3: datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp()).
    static let start = Date(timeIntervalSince1970: 1_793_491_200)

    static func configuration(seed: UInt64 = 11, items: Int = 300, users: Int = 400) -> WorldConfiguration {
        var configuration = WorldConfiguration(seed: seed)
        configuration.itemCount = items
        configuration.userCount = users
        return configuration
    }

    static func world(seed: UInt64 = 11, items: Int = 300, users: Int = 400) -> World {
        World(configuration(seed: seed, items: items, users: users))
    }
}
