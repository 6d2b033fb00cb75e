import Foundation
import Testing

@testable import Sim

/// Delayed feedback comes out in time order and only once due.
@Suite struct FeedbackQueueTests {
    /// Expected order: all scheduled events sorted by (time, scheduling order), by the standard
    /// library's sort; released in chunks at increasing clock times.
    @Test func releasesDueEventsInTimeOrder() {
        var configuration = TestWorlds.configuration()
        configuration.clickIntercept = -1  // plenty of clicks, carts and purchases
        var world = World(configuration)
        var queue = FeedbackQueue()
        var all: [(FeedbackEvent, Int)] = []
        for round in 0..<300 {
            let shown = TestWorlds.start + Double(round) * 30
            let events = world.respond(unit: "u\(round % 50 + 1)", items: (1...10).map { "i\($0 + round % 7)" }, at: shown)
            queue.schedule(events)
            for event in events { all.append((event, all.count)) }
        }
        #expect(queue.count == all.count && all.count > 100)
        let expected = all.sorted { ($0.0.occurredAt, $0.1) < ($1.0.occurredAt, $1.1) }.map(\.0)
        var released: [FeedbackEvent] = []
        var clock = TestWorlds.start
        while queue.count > 0 {
            clock += 600
            let due = queue.release(through: clock)
            #expect(due.allSatisfy { $0.occurredAt <= clock })
            if let next = queue.nextTime { #expect(next > clock) }
            released += due
        }
        #expect(released == expected)
        #expect(queue.release(through: .distantFuture).isEmpty && queue.nextTime == nil)
    }
}
