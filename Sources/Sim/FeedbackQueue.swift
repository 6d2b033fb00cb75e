import Foundation

/// Feedback waiting to happen: a simulation schedules each response's delayed events and,
/// as its clock advances, releases those due, in time order (ties in scheduling order), so
/// clicks and purchases reach the event path late, as real feedback does.
public struct FeedbackQueue: Sendable {
    private var heap: [(event: FeedbackEvent, order: Int)] = []
    private var scheduled = 0

    /// An empty queue.
    public init() {}

    /// Events waiting.
    public var count: Int { heap.count }

    /// When the earliest waiting event happens, nil when none waits.
    public var nextTime: Date? { heap.first?.event.occurredAt }

    /// Adds events to deliver at their `occurredAt`.
    public mutating func schedule(_ events: [FeedbackEvent]) {
        for event in events {
            heap.append((event, scheduled))
            scheduled += 1
            siftUp(heap.count - 1)
        }
    }

    /// Removes and returns every event with `occurredAt <= time`, earliest first.
    public mutating func release(through time: Date) -> [FeedbackEvent] {
        var due: [FeedbackEvent] = []
        while let first = heap.first, first.event.occurredAt <= time {
            due.append(first.event)
            heap.swapAt(0, heap.count - 1)
            heap.removeLast()
            siftDown(0)
        }
        return due
    }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        (heap[a].event.occurredAt, heap[a].order) < (heap[b].event.occurredAt, heap[b].order)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            var smallest = parent
            for child in [2 * parent + 1, 2 * parent + 2] where child < heap.count && precedes(child, smallest) { smallest = child }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
