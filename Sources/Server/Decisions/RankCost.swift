import Synchronization

/// How long one arm takes to rank, as a moving estimate, and so whether the event loop may
/// rank it (`fitsEventLoop`) or a task off the loop must (the router's).
///
/// Every connection on an event loop waits while it ranks: popularity and item-kNN take tens of
/// microseconds, a factor or neural model scoring a large catalogue milliseconds. The estimate
/// follows what the arm costs now (a model grows online, a reload replaces it) on either path.
/// A stall of the measuring thread (preemption, a page fault) lengthens one sample, never
/// shortens one, so each sample counts as the shorter of itself and the sample before: an arm
/// goes off the loop when it is slow twice in a row, not when the machine hiccups once (but
/// the first sample alone sets the estimate, so an arm never measured gets one try).
/// An arm that left the loop comes back only once its estimate is under `returnBudget`, a
/// fifth below the budget, so an arm that costs about the budget (BPR over 20,000 items takes
/// some 240 µs in release) stays on one path instead of flipping with each sample's jitter.
/// Updates race benignly: a lost update only delays the estimate by one sample.
final class RankCost: Sendable {
    /// The longest ranking the event loop may run. 250 µs is the work of some 15 fast-path
    /// decisions (about 14 µs of decision logic each) that every other connection on the loop
    /// waits for, far inside the 5 ms p99 target. In release builds (docs/benchmarks.md, 10,000
    /// items) popularity takes 18 µs and item-kNN 59 µs, well under it; BPR and ALS with 64
    /// factors take 120–135 µs, so their arms leave the loop from about 20,000 items on.
    static let eventLoopBudget = Duration.microseconds(250)
    /// The estimate under which an arm that left the event loop may return to it.
    static let returnBudget = Duration.microseconds(200)
    private static let budgetNanoseconds = nanoseconds(eventLoopBudget)
    private static let returnNanoseconds = nanoseconds(returnBudget)

    /// Nanoseconds; −1 until the first measurement.
    private let estimate = Atomic<Int>(-1)
    private let lastSample = Atomic<Int>(-1)
    private let offLoop = Atomic<Bool>(false)

    /// Whether the event loop may rank the arm: it was never measured (it may try once), or its
    /// estimate is within `eventLoopBudget` (within `returnBudget` once it has been over).
    var fitsEventLoop: Bool { !offLoop.load(ordering: .relaxed) }

    /// Runs `ranking` and folds how long it took into the estimate.
    func measure<Result>(_ ranking: () -> Result) -> Result {
        let start = ContinuousClock.now
        let result = ranking()
        record(ContinuousClock.now - start)
        return result
    }

    /// Folds one sample into the estimate: the first sets it, later ones (each the shorter of
    /// itself and the one before) move it a quarter of the way.
    func record(_ elapsed: Duration) {
        let sample = Self.nanoseconds(elapsed)
        let previous = lastSample.exchange(sample, ordering: .relaxed)
        let steady = previous < 0 ? sample : min(sample, previous)
        let old = estimate.load(ordering: .relaxed)
        let new = old < 0 ? steady : old + (steady - old) / 4
        estimate.store(new, ordering: .relaxed)
        if new > Self.budgetNanoseconds {
            offLoop.store(true, ordering: .relaxed)
        } else if new <= Self.returnNanoseconds {
            offLoop.store(false, ordering: .relaxed)
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
