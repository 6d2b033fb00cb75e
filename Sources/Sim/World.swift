import Foundation
import Stats

/// A seeded simulated shop: items with latent features and text, users with latent tastes,
/// a position-biased click model and an optional preference drift. Everything it produces is
/// a pure function of the configuration and, for `respond`, of the order of calls.
public struct World: Sendable {
    /// The configuration the world was built from.
    public let configuration: WorldConfiguration
    /// The catalogue, `items[k].id == "i\(k + 1)"`.
    public let items: [SimulatedItem]
    /// The known users, `users[k].id == "u\(k + 1)"`.
    public let users: [SimulatedUser]
    /// The unit-length centre of each cluster in latent space.
    public let clusterCentres: [[Double]]

    let itemIndexByID: [String: Int]
    let userIndexByID: [String: Int]
    /// Popularity sampler over each cluster's items (indices into `clusterItems`).
    let clusterSamplers: [WeightedSampler]
    let clusterItems: [[Int]]
    let activitySampler: WeightedSampler
    /// Draws of `respond`: seeded from the configuration, advanced by every call.
    var feedbackGenerator: SplitMix64

    /// Builds the catalogue and the users from `configuration.seed`. Counts below one are
    /// raised to one and a non-positive taste concentration to 0.01, so every world is usable.
    public init(_ requested: WorldConfiguration) {
        var configuration = requested
        configuration.itemCount = max(configuration.itemCount, 1)
        configuration.userCount = max(configuration.userCount, 1)
        configuration.clusterCount = max(configuration.clusterCount, 1)
        configuration.dimensions = max(configuration.dimensions, 1)
        configuration.brandCount = max(configuration.brandCount, 1)
        configuration.successorCount = max(configuration.successorCount, 0)
        configuration.tasteConcentration = max(configuration.tasteConcentration, 0.01)
        self.configuration = configuration
        var generator = SplitMix64(seed: configuration.seed)
        let catalogue = CatalogueBuilder(configuration: configuration).build(using: &generator)
        items = catalogue.items
        clusterCentres = catalogue.centres
        clusterItems = catalogue.clusterItems
        clusterSamplers = catalogue.clusterItems.map { members in WeightedSampler(weights: members.map { catalogue.items[$0].popularity }) }
        users = UserBuilder(configuration: configuration, centres: catalogue.centres).build(using: &generator)
        activitySampler = WeightedSampler(weights: users.map(\.sessionsPerDay))
        itemIndexByID = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
        userIndexByID = Dictionary(uniqueKeysWithValues: users.enumerated().map { ($1.id, $0) })
        feedbackGenerator = SplitMix64(seed: configuration.seed ^ 0xFEED_BAC4_0000_0001)
    }

    /// The index of the user behind `unit`: a known user id maps to that user; any other unit
    /// (a new visitor or a session id) borrows the tastes of a user picked by hashing its id.
    public func userIndex(of unit: String) -> Int {
        if let known = userIndexByID[unit] { return known }
        return Int(StableHash.fnv1a(unit) % UInt64(users.count))
    }

    /// The item index of `id`, nil when the catalogue has no such item.
    public func itemIndex(of id: String) -> Int? { itemIndexByID[id] }
}

/// FNV-1a over UTF-8, stable across runs and platforms (Swift's `Hasher` is randomly seeded).
enum StableHash {
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }
}
