import Foundation
import Stats

extension World {
    /// A browsing history of `days` days from `start`, in time order: each user starts
    /// Poisson(sessionsPerDay) sessions a day at uniform times; a session views
    /// 1 + Poisson(meanSessionLength − 1) items, each either a planted successor of the
    /// previous one (probability `habitStrength`) or a popular item of a cluster drawn from the
    /// user's mixture. A view is clicked with the click model at position 1, then carted and
    /// bought with the configured probabilities. Times are whole seconds.
    public func history(days: Int, start: Date) -> [Interaction] {
        let stamp = UInt64(bitPattern: Int64(start.timeIntervalSince1970.rounded()))
        var generator = SplitMix64(seed: configuration.seed ^ 0x4849_5354_4F52_5900 ^ (stamp &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(max(days, 0)))
        var rows: [(interaction: Interaction, order: Int)] = []
        var sessions = 0
        for day in 0..<max(days, 0) {
            let dayStart = start + Double(day) * 86_400
            for user in users.indices {
                let count = RandomVariates.poisson(mean: users[user].sessionsPerDay, using: &generator)
                for _ in 0..<count {
                    sessions += 1
                    let begin = dayStart + (generator.nextUnitDouble() * 86_400).rounded(.down)
                    appendSession(user: user, id: "s\(sessions)", begin: begin, to: &rows, using: &generator)
                }
            }
        }
        rows.sort { ($0.interaction.occurredAt, $0.order) < ($1.interaction.occurredAt, $1.order) }
        return rows.map(\.interaction)
    }

    private func appendSession(
        user: Int,
        id: String,
        begin: Date,
        to rows: inout [(interaction: Interaction, order: Int)],
        using generator: inout SplitMix64
    ) {
        let length = 1 + RandomVariates.poisson(mean: max(configuration.meanSessionLength - 1, 0), using: &generator)
        let unit = users[user].id
        var time = begin
        var previous: Int?
        func add(_ item: Int, _ type: SimulatedEventType, _ value: Double, _ at: Date) {
            let interaction = Interaction(unitID: unit, itemID: items[item].id, eventType: type, value: value, occurredAt: at, sessionID: id)
            rows.append((interaction, rows.count))
        }
        for step in 0..<length {
            if step > 0 { time += Self.logNormal(median: 40, sigma: 0.8, using: &generator).rounded(.up) }
            guard let item = nextItem(user: user, after: previous, using: &generator) else { return }
            previous = item
            add(item, .view, 1, time)
            let click = clickProbability(user: user, item: item, at: time, device: users[user].device)
            guard RandomVariates.bernoulli(click, using: &generator) else { continue }
            let clickedAt = time + Self.logNormal(median: 5, sigma: 0.7, using: &generator).rounded(.up)
            add(item, .click, 1, clickedAt)
            guard RandomVariates.bernoulli(configuration.addToCartProbability, using: &generator) else { continue }
            let cartedAt = clickedAt + Self.logNormal(median: 30, sigma: 0.7, using: &generator).rounded(.up)
            add(item, .addToCart, 1, cartedAt)
            guard RandomVariates.bernoulli(configuration.purchaseProbability, using: &generator) else { continue }
            add(item, .purchase, items[item].price, cartedAt + Self.logNormal(median: 120, sigma: 0.8, using: &generator).rounded(.up))
        }
    }

    /// The next item a user views: a planted successor of `previous` by habit, else a
    /// popularity draw inside a cluster drawn from the user's mixture.
    func nextItem(user: Int, after previous: Int?, using generator: inout SplitMix64) -> Int? {
        guard !items.isEmpty else { return nil }
        if let previous, !items[previous].successors.isEmpty, generator.nextUnitDouble() < configuration.habitStrength {
            let successors = items[previous].successors
            let weights = successors.indices.map { $0 < configuration.successorWeights.count ? configuration.successorWeights[$0] : 0 }
            return successors[WeightedSampler(weights: weights).draw(using: &generator)]
        }
        let cluster = WeightedSampler(weights: users[user].clusterWeights).draw(using: &generator)
        guard cluster < clusterItems.count, !clusterItems[cluster].isEmpty else {
            return Int(generator.next() % UInt64(items.count))
        }
        return clusterItems[cluster][clusterSamplers[cluster].draw(using: &generator)]
    }
}
