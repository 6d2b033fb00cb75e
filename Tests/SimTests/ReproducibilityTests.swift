import Foundation
import Testing

@testable import Sim

/// The whole output of a world is fixed by its seed (and, for responses, the call order).
@Suite struct ReproducibilityTests {
    @Test func sameSeedGivesTheSameCatalogueHistoryResponsesAndRequests() {
        var first = TestWorlds.world(seed: 5)
        var second = TestWorlds.world(seed: 5)
        #expect(first.items == second.items)
        #expect(first.users == second.users)
        #expect(first.history(days: 2, start: TestWorlds.start) == second.history(days: 2, start: TestWorlds.start))
        let list = (1...10).map { "i\($0)" }
        for unit in ["u1", "u2", "visitor-9"] {
            #expect(first.respond(unit: unit, items: list, at: TestWorlds.start) == second.respond(unit: unit, items: list, at: TestWorlds.start))
        }
        #expect(
            first.requests(start: TestWorlds.start, duration: 600, perSecond: 1)
                == second.requests(start: TestWorlds.start, duration: 600, perSecond: 1)
        )
    }

    @Test func differentSeedsGiveDifferentWorlds() {
        var first = TestWorlds.world(seed: 5)
        var second = TestWorlds.world(seed: 6)
        #expect(first.items.map(\.title) != second.items.map(\.title))
        #expect(first.history(days: 2, start: TestWorlds.start) != second.history(days: 2, start: TestWorlds.start))
        let list = (1...10).map { "i\($0)" }
        let responses = (0..<50).map { _ in first.respond(unit: "u1", items: list, at: TestWorlds.start) }
        let others = (0..<50).map { _ in second.respond(unit: "u1", items: list, at: TestWorlds.start) }
        #expect(responses != others)
    }

    @Test func responsesDependOnCallOrderNotOnTheWorldCopy() {
        var world = TestWorlds.world()
        let list = (1...10).map { "i\($0)" }
        var copy = world
        let fromOriginal = (0..<20).map { _ in world.respond(unit: "u3", items: list, at: TestWorlds.start) }
        let fromCopy = (0..<20).map { _ in copy.respond(unit: "u3", items: list, at: TestWorlds.start) }
        #expect(fromOriginal == fromCopy)
        // Later calls continue the stream rather than repeating it.
        let later = (0..<20).map { _ in world.respond(unit: "u3", items: list, at: TestWorlds.start) }
        #expect(later != fromOriginal)
    }
}
