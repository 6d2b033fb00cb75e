import Foundation

@testable import Strategies

/// Seeded data for the neural strategies' acceptance tests.
enum NeuralTestData {
    /// Sessions that follow one of `routes` hidden routes (each a random cycle through all
    /// items). A session picks a route, starts anywhere, and at each step moves to the item's
    /// successor on its route with probability `loyalty`, else jumps to a random item. The
    /// next item therefore depends on the route, which the last item alone does not reveal
    /// (it has `routes` candidate successors) but the last two items do: a first-order chain
    /// can at best rank the right successor among `routes` equals, a session model can know it.
    /// Each session is its own unit; events are a minute apart.
    static func routes(
        seed: UInt64,
        sessions: Int = 600,
        items: Int = 40,
        routes: Int = 3,
        length: Int = 8,
        loyalty: Double = 0.9
    ) -> PlantedData {
        var generator = SeededGenerator(seed: seed)
        let successors = (0..<routes).map { _ in
            var order = Array(0..<items)
            order.shuffle(using: &generator)
            var next = [Int](repeating: 0, count: items)
            for position in 0..<items { next[order[position]] = order[(position + 1) % items] }
            return next
        }
        var interactions: [Interaction] = []
        for session in 0..<sessions {
            let route = generator.below(routes)
            var item = generator.below(items)
            var time = 1_700_000_000.0 + Double(session) * 10_000
            for _ in 0..<length {
                interactions.append(Interaction(unit: "session\(session)", item: PlantedData.itemID(item), event: "view", time: time))
                time += 60
                item = Double(generator.unitFloat()) < loyalty ? successors[route][item] : generator.below(items)
            }
        }
        return PlantedData(interactions: interactions, catalogue: ItemCatalogue(ids: (0..<items).map(PlantedData.itemID)), itemGroup: [:])
    }

    /// Items in `categories` categories, each with words of its category's vocabulary, filler
    /// words and a `category` attribute; the first `coldPerCategory` items of each category
    /// are cold. Each user has a favourite category and touches `perUser` warm items (85% from
    /// it), then, last, one cold item of it, which a leave-last-out split holds out: cold items
    /// have content but no training interaction.
    static func coldItems(
        seed: UInt64,
        users: Int = 300,
        categories: Int = 6,
        itemsPerCategory: Int = 20,
        coldPerCategory: Int = 5,
        perUser: Int = 10
    ) -> PlantedData {
        var generator = SeededGenerator(seed: seed)
        let items = categories * itemsPerCategory
        func category(_ item: Int) -> Int { item % categories }
        func isCold(_ item: Int) -> Bool { item / categories < coldPerCategory }
        let catalogue = (0..<items).map { item in
            let own = (0..<4).map { _ in "topic\(category(item))word\(generator.below(8))" }
            let filler = (0..<2).map { _ in "common\(generator.below(30))" }
            return CatalogueItem(
                id: PlantedData.itemID(item),
                title: "Item \(item)",
                text: (own + filler).joined(separator: " "),
                attributes: ["category": "c\(category(item))", "brand": "brand\(generator.below(10))"]
            )
        }
        let warm = (0..<items).filter { !isCold($0) }
        var interactions: [Interaction] = []
        for user in 0..<users {
            let favourite = generator.below(categories)
            let liked = warm.filter { category($0) == favourite }
            var time = 1_700_000_000.0 + Double(user) * 10_000
            for _ in 0..<perUser {
                let item = generator.unitFloat() < 0.85 ? liked[generator.below(liked.count)] : warm[generator.below(warm.count)]
                interactions.append(Interaction(unit: "user\(user)", item: PlantedData.itemID(item), time: time))
                time += 60
            }
            let cold = (0..<items).filter { isCold($0) && category($0) == favourite }
            interactions.append(Interaction(unit: "user\(user)", item: PlantedData.itemID(cold[generator.below(cold.count)]), time: time))
        }
        return PlantedData(
            interactions: interactions,
            catalogue: ItemCatalogue(items: catalogue),
            itemGroup: Dictionary(uniqueKeysWithValues: (0..<items).map { (PlantedData.itemID($0), category($0)) })
        )
    }
}
