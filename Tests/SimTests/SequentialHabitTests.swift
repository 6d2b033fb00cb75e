import Foundation
import Testing

@testable import Sim

/// Sessions follow planted habits, so next-item models have a signal to learn.
@Suite struct SequentialHabitTests {
    /// After item a, the next view is its first planted successor with probability at least
    /// habitStrength × successorWeights[0] = 0.6 × 0.6 = 0.36, while any other item gets at most
    /// 0.6 × 0.25 = 0.15 by habit plus its share of the 0.4 fresh draws. So for most items the
    /// most frequent observed successor is the planted one; we require 80 % of the items seen
    /// followed at least 30 times.
    @Test func mostFrequentSuccessorIsThePlantedOne() {
        var configuration = TestWorlds.configuration()
        configuration.sessionsPerUserPerDay = 1
        let world = World(configuration)
        let history = world.history(days: 14, start: TestWorlds.start)
        var sessions: [String: [Int]] = [:]
        for row in history where row.eventType == .view {
            sessions[row.sessionID, default: []].append(world.itemIndex(of: row.itemID) ?? -1)
        }
        var transitions = Array(repeating: [Int: Int](), count: world.items.count)
        for views in sessions.values where views.count > 1 {
            for (from, to) in zip(views, views.dropFirst()) { transitions[from][to, default: 0] += 1 }
        }
        var judged = 0
        var planted = 0
        for (item, next) in transitions.enumerated() where next.values.reduce(0, +) >= 30 {
            judged += 1
            let top = next.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
            if top == world.items[item].successors.first { planted += 1 }
        }
        #expect(judged >= 100, "only \(judged) items have 30 transitions")
        #expect(Double(planted) >= 0.8 * Double(judged), "\(planted) of \(judged)")
    }
}
