import Foundation
import Testing

@testable import Sim

/// Arrivals form a Poisson process with the configured share of new units.
@Suite struct RequestStreamTests {
    /// 3 600 s at 2 a second: 7 200 arrivals expected, SD sqrt(7 200) ≈ 85; new units 20 % ± 0.5 % SE.
    @Test func arrivalsHaveTheRateAndMix() {
        let world = TestWorlds.world()
        let requests = world.requests(start: TestWorlds.start, duration: 3600, perSecond: 2)
        #expect(abs(Double(requests.count) - 7200) < 4 * 85)
        #expect(requests.map(\.time) == requests.map(\.time).sorted())
        #expect(requests.allSatisfy { $0.time >= TestWorlds.start && $0.time < TestWorlds.start + 3600 })
        let newShare = Double(requests.filter { !$0.context.isReturning }.count) / Double(requests.count)
        #expect(abs(newShare - 0.2) < 0.02)
        #expect(Set(requests.map(\.sessionID)).count == requests.count)
        for request in requests where request.context.isReturning {
            let user = world.users[world.userIndex(of: request.unitID)]
            #expect(user.id == request.unitID && user.device == request.context.device)
        }
    }
}
