import Foundation

extension World {
    /// P(a user examines position `position`, 1-based): 1/log2(position + 1), or
    /// decay^(position − 1) with a geometric decay configured.
    public func examinationProbability(position: Int) -> Double {
        guard position >= 1 else { return 0 }
        if let decay = configuration.geometricDecay { return pow(decay, Double(position - 1)) }
        return 1 / log2(Double(position + 1))
    }

    /// P(click | examined) for the user behind `unit`, item index `item`, at `time` on `device`:
    /// sigmoid(intercept + retention × taste·features + popularityWeight × log(N × popularity)
    /// + drift + device), retention being the drift's `tasteRetention` after its time, else 1.
    public func clickProbability(unit: String, item: Int, at time: Date, device: String? = nil) -> Double {
        clickProbability(user: userIndex(of: unit), item: item, at: time, device: device)
    }

    func clickProbability(user: Int, item: Int, at time: Date, device: String?) -> Double {
        let entry = items[item]
        let taste = users[user].taste
        var affinity = 0.0
        for d in 0..<min(taste.count, entry.features.count) { affinity += taste[d] * entry.features[d] }
        var logit = configuration.clickIntercept + configuration.popularityWeight * log(Double(items.count) * entry.popularity)
        if let drift = configuration.drift, time >= drift.time {
            affinity *= drift.tasteRetention
            if entry.cluster == drift.cluster { logit += drift.appealShift }
        }
        logit += affinity
        if let device { logit += configuration.deviceEffects[device] ?? 0 }
        return 1 / (1 + exp(-logit))
    }

    /// P(purchase | click): P(add to cart | click) × P(purchase | add to cart).
    public var purchaseGivenClick: Double { configuration.addToCartProbability * configuration.purchaseProbability }

    /// The true expected reward of showing `itemIDs` (in order) to `unit` at `time`; unknown
    /// ids count as items nobody clicks.
    public func expectedReward(of itemIDs: [String], for unit: String, at time: Date, context: RequestContext? = nil) -> ExpectedReward {
        let user = userIndex(of: unit)
        var clicks = 0.0
        var noPurchase = 1.0
        var revenue = 0.0
        for (offset, id) in itemIDs.enumerated() {
            guard let item = itemIndex(of: id) else { continue }
            let click = examinationProbability(position: offset + 1) * clickProbability(user: user, item: item, at: time, device: context?.device)
            clicks += click
            noPurchase *= 1 - click * purchaseGivenClick
            revenue += click * purchaseGivenClick * items[item].price
        }
        return ExpectedReward(expectedClicks: clicks, purchaseProbability: 1 - noPurchase, expectedRevenue: revenue)
    }
}

extension World {
    /// The oracle list: the `count` items of highest click probability for `unit` at `time`,
    /// best first. Examination falls with position, so by the rearrangement inequality no list
    /// of `count` items has more expected clicks; demos use it as the planted best arm.
    public func idealRanking(for unit: String, at time: Date, count: Int, context: RequestContext? = nil) -> [String] {
        let user = userIndex(of: unit)
        let scored = items.indices.map { ($0, clickProbability(user: user, item: $0, at: time, device: context?.device)) }
        return scored.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }.prefix(max(count, 0)).map { items[$0.0].id }
    }
}
