import Foundation

@testable import Strategies

/// Seeded synthetic data with known structure, so a learning strategy has something to find.
struct PlantedData {
    var interactions: [Interaction]
    var catalogue: ItemCatalogue
    /// The cluster of each item (cluster data) or its preferred successor (sequential data).
    var itemGroup: [String: Int]
    var successor: [String: String] = [:]

    static func itemID(_ index: Int) -> String { "item\(index)" }

    /// Items with latent factors around `clusters` centres; users with a taste near one centre
    /// pick `perUser` distinct items with probability ∝ exp(sharpness·taste·item + popularity_i).
    /// Item text holds words of its cluster's vocabulary, plus shared filler words.
    static func clusters(
        seed: UInt64,
        users: Int = 400,
        items: Int = 300,
        clusters: Int = 6,
        dimensions: Int = 8,
        perUser: Int = 20,
        sharpness: Double = 1.5
    ) -> PlantedData {
        var generator = SeededGenerator(seed: seed)
        let centres = (0..<clusters).map { _ in (0..<dimensions).map { _ in generator.normal() } }
        let itemCluster = (0..<items).map { _ in generator.below(clusters) }
        let itemVectors = itemCluster.map { cluster in centres[cluster].map { $0 + 0.5 * generator.normal() } }
        let itemPopularity = (0..<items).map { _ in 1.0 * generator.normal() }
        var catalogueItems: [CatalogueItem] = []
        for item in 0..<items {
            let cluster = itemCluster[item]
            let own = (0..<5).map { _ in "topic\(cluster)word\(generator.below(12))" }
            let filler = (0..<3).map { _ in "common\(generator.below(30))" }
            catalogueItems.append(
                CatalogueItem(
                    id: itemID(item),
                    title: "Item \(item)",
                    text: (own + filler).joined(separator: " "),
                    attributes: ["brand": "brand\(generator.below(20))", "shelf": "shelf\(item % 4)"]
                )
            )
        }
        var interactions: [Interaction] = []
        for user in 0..<users {
            let taste = centres[generator.below(clusters)].map { $0 + 0.5 * generator.normal() }
            let logits = itemVectors.indices.map { item in
                sharpness * zip(taste, itemVectors[item]).reduce(0) { $0 + $1.0 * $1.1 } / Double(dimensions).squareRoot()
                    + itemPopularity[item]
            }
            let peak = logits.max() ?? 0
            let weights = logits.map { exp($0 - peak) }
            var chosen = Set<Int>()
            var time = 1_700_000_000.0 + Double(user) * 10
            while chosen.count < min(perUser, items) {
                let item = generator.categorical(weights)
                guard chosen.insert(item).inserted else { continue }
                time += 60
                let event = generator.unitFloat() < 0.1 ? "purchase" : "click"
                interactions.append(Interaction(unit: "user\(user)", item: itemID(item), event: event, time: time))
            }
        }
        let groups = Dictionary(uniqueKeysWithValues: itemCluster.enumerated().map { (itemID($0.offset), $0.element) })
        return PlantedData(interactions: interactions, catalogue: ItemCatalogue(items: catalogueItems), itemGroup: groups)
    }

    /// Each item has one preferred successor (one long cycle through all items); each user walks
    /// `length` steps, following the successor with probability `loyalty`, else jumping to a
    /// random item. Steps are a minute apart, so they form one session.
    static func sequences(seed: UInt64, users: Int = 400, items: Int = 300, length: Int = 12, loyalty: Double = 0.8) -> PlantedData {
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<items)
        order.shuffle(using: &generator)
        var next = [Int](repeating: 0, count: items)
        for position in 0..<items { next[order[position]] = order[(position + 1) % items] }
        var interactions: [Interaction] = []
        for user in 0..<users {
            var item = generator.below(items)
            var time = 1_700_000_000.0 + Double(user) * 1000
            for _ in 0..<length {
                interactions.append(Interaction(unit: "user\(user)", item: itemID(item), event: "view", time: time))
                time += 60
                item = Double(generator.unitFloat()) < loyalty ? next[item] : generator.below(items)
            }
        }
        let successors = Dictionary(uniqueKeysWithValues: (0..<items).map { (itemID($0), itemID(next[$0])) })
        return PlantedData(
            interactions: interactions,
            catalogue: ItemCatalogue(ids: (0..<items).map(itemID)),
            itemGroup: [:],
            successor: successors
        )
    }
}

extension SeededGenerator {
    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u1 = max(Double(unitFloat()), 1e-9)
        let u2 = Double(unitFloat())
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// An index drawn with probability proportional to `weights`.
    mutating func categorical(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = Double(unitFloat()) * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target <= 0 { return index }
        }
        return weights.count - 1
    }
}
