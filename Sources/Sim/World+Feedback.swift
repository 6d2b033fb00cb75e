import Foundation
import Stats

extension World {
    /// The events `unit` produces after being shown `itemIDs` (best first) at `time`: each
    /// position is examined with `examinationProbability`, clicked with `clickProbability`,
    /// carted and bought with the configured probabilities. Delays are log-normal (median 15 s
    /// to a click, 1 min more to a cart, 20 min more to a purchase; a few purchases land after
    /// 24 h). Events come back sorted by time. Reproducible from the seed and the call order.
    public mutating func respond(unit: String, items itemIDs: [String], at time: Date, context: RequestContext? = nil) -> [FeedbackEvent] {
        let user = userIndex(of: unit)
        var events: [FeedbackEvent] = []
        for (offset, id) in itemIDs.enumerated() {
            let position = offset + 1
            // Two draws per position whether or not the item is known, so one bad id does not
            // shift the rest of the stream.
            let examined = feedbackGenerator.nextUnitDouble() < examinationProbability(position: position)
            let clickDraw = feedbackGenerator.nextUnitDouble()
            guard examined, let item = itemIndex(of: id) else { continue }
            guard clickDraw < clickProbability(user: user, item: item, at: time, device: context?.device) else { continue }
            var delay = Self.logNormal(median: 15, sigma: 1.0, using: &feedbackGenerator)
            events.append(event(unit, id, position, .click, 1, time, delay))
            guard RandomVariates.bernoulli(configuration.addToCartProbability, using: &feedbackGenerator) else { continue }
            delay += Self.logNormal(median: 60, sigma: 0.8, using: &feedbackGenerator)
            events.append(event(unit, id, position, .addToCart, 1, time, delay))
            guard RandomVariates.bernoulli(configuration.purchaseProbability, using: &feedbackGenerator) else { continue }
            delay += Self.logNormal(median: 1200, sigma: 1.5, using: &feedbackGenerator)
            events.append(event(unit, id, position, .purchase, items[item].price, time, delay))
        }
        return events.sorted { $0.delay < $1.delay }
    }

    private func event(
        _ unit: String,
        _ item: String,
        _ position: Int,
        _ type: SimulatedEventType,
        _ value: Double,
        _ time: Date,
        _ delay: TimeInterval
    ) -> FeedbackEvent {
        FeedbackEvent(unitID: unit, itemID: item, position: position, eventType: type, value: value, occurredAt: time + delay, delay: delay)
    }

    /// A log-normal draw with the given median and log-scale standard deviation.
    static func logNormal<G: RandomNumberGenerator>(median: Double, sigma: Double, using generator: inout G) -> Double {
        median * exp(sigma * RandomVariates.standardNormal(using: &generator))
    }
}
