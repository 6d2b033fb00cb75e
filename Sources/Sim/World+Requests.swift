import Foundation
import Stats

extension World {
    /// Units arriving between `start` and `start + duration` as a Poisson process of
    /// `perSecond` arrivals a second. A share `newUnitShare` are new units (`n…` ids, random
    /// context); the rest are known users drawn by activity, with their own country and
    /// device. The same arguments give the same stream.
    public func requests(start: Date, duration: TimeInterval, perSecond: Double) -> [SimulatedRequest] {
        guard perSecond > 0, duration > 0, !users.isEmpty else { return [] }
        let stamp = UInt64(bitPattern: Int64(start.timeIntervalSince1970.rounded()))
        var generator = SplitMix64(seed: configuration.seed ^ 0x5245_5155_4553_5453 ^ (stamp &* 0x9E37_79B9_7F4A_7C15))
        let countries = WeightedSampler(weights: UserBuilder.countries.map(\.1))
        let devices = WeightedSampler(weights: UserBuilder.devices.map(\.1))
        var requests: [SimulatedRequest] = []
        var elapsed = 0.0
        while true {
            elapsed += -log(1 - generator.nextUnitDouble()) / perSecond
            guard elapsed < duration else { break }
            let number = requests.count + 1
            let session = "r\(stamp)-\(number)"
            if generator.nextUnitDouble() < configuration.newUnitShare {
                let context = RequestContext(
                    country: UserBuilder.countries[countries.draw(using: &generator)].0,
                    device: UserBuilder.devices[devices.draw(using: &generator)].0,
                    isReturning: false
                )
                requests.append(SimulatedRequest(unitID: "n\(stamp)-\(number)", sessionID: session, time: start + elapsed, context: context))
            } else {
                let user = users[activitySampler.draw(using: &generator)]
                let context = RequestContext(country: user.country, device: user.device, isReturning: true)
                requests.append(SimulatedRequest(unitID: user.id, sessionID: session, time: start + elapsed, context: context))
            }
        }
        return requests
    }
}
