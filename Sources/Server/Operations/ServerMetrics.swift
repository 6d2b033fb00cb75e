import Foundation
import Synchronization

/// Counters of the service, rendered in the Prometheus text format by GET /metrics.
public final class ServerMetrics: Sendable {
    let decisions = Atomic<Int>(0)
    let fallbackDecisions = Atomic<Int>(0)
    /// Decisions answered on the event loop by `DecisionFastPath` (the rest went through the router).
    let decisionsOnEventLoop = Atomic<Int>(0)
    /// Decisions the event loop handed to the router because their arm cannot rank there (a
    /// remote model, or rankings over `RankCost.eventLoopBudget`).
    let decisionsDeclinedByEventLoop = Atomic<Int>(0)
    let eventsAccepted = Atomic<Int>(0)
    let eventsDuplicate = Atomic<Int>(0)
    let eventsRejected = Atomic<Int>(0)
    let eventsSpooled = Atomic<Int>(0)
    let eventsReplayed = Atomic<Int>(0)
    let impressionsWritten = Atomic<Int>(0)
    /// Decisions answered 503 because the impression buffer was full (nothing of them kept).
    let decisionsRefused = Atomic<Int>(0)
    /// Impressions PostgreSQL refused, written to the dead-letter file instead.
    let impressionsRejected = Atomic<Int>(0)
    let overloadResponses = Atomic<Int>(0)
    let reloads = Atomic<Int>(0)
    /// Flush latencies in microseconds, summed, with their count.
    let eventCommitMicros = Atomic<Int>(0)
    let eventCommits = Atomic<Int>(0)
    let impressionFlushMicros = Atomic<Int>(0)
    let impressionFlushes = Atomic<Int>(0)
    private let byArm = Mutex<[ArmKey: Int]>([:])
    /// Request durations by route and status.
    let requests = RequestDurations()

    private struct ArmKey: Hashable {
        var experiment: String
        var arm: String
    }

    public init() {}

    func countDecision(experiment: String, arm: String, fallback: Bool) {
        decisions.add(1, ordering: .relaxed)
        if fallback { fallbackDecisions.add(1, ordering: .relaxed) }
        byArm.withLock { $0[ArmKey(experiment: experiment, arm: arm), default: 0] += 1 }
    }

    /// The metrics as Prometheus text; `gauges` adds point-in-time values (buffer and spool depth).
    func render(gauges: [(name: String, help: String, value: Int)]) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) counter\n\(name) \(value)\n"
        }
        counter("abctl_decisions_total", "Decisions served.", decisions.load(ordering: .relaxed))
        counter("abctl_fallback_decisions_total", "Decisions that served the fallback arm.", fallbackDecisions.load(ordering: .relaxed))
        counter(
            "abctl_decisions_on_event_loop_total",
            "Decisions answered from memory on the connection's event loop, without the router.",
            decisionsOnEventLoop.load(ordering: .relaxed)
        )
        counter(
            "abctl_decisions_declined_by_event_loop_total",
            "Decisions the event loop left to the router because their arm cannot rank there: a remote model, or one slower than \(RankCost.eventLoopBudget).",
            decisionsDeclinedByEventLoop.load(ordering: .relaxed)
        )
        out += "# HELP abctl_decisions_by_arm_total Decisions served by experiment and arm.\n# TYPE abctl_decisions_by_arm_total counter\n"
        for (key, value) in byArm.withLock({ $0 }).sorted(by: { ($0.key.experiment, $0.key.arm) < ($1.key.experiment, $1.key.arm) }) {
            out += "abctl_decisions_by_arm_total{experiment=\"\(Self.escape(key.experiment))\",arm=\"\(Self.escape(key.arm))\"} \(value)\n"
        }
        out += "# HELP abctl_events_total Feedback events by outcome.\n# TYPE abctl_events_total counter\n"
        out += "abctl_events_total{outcome=\"accepted\"} \(eventsAccepted.load(ordering: .relaxed))\n"
        out += "abctl_events_total{outcome=\"duplicate\"} \(eventsDuplicate.load(ordering: .relaxed))\n"
        out += "abctl_events_total{outcome=\"rejected\"} \(eventsRejected.load(ordering: .relaxed))\n"
        counter(
            "abctl_events_spooled_total",
            "Accepted events written to the local spool while PostgreSQL was unreachable.",
            eventsSpooled.load(ordering: .relaxed)
        )
        counter("abctl_events_replayed_total", "Spooled events replayed into PostgreSQL (new rows).", eventsReplayed.load(ordering: .relaxed))
        counter("abctl_impressions_written_total", "Impressions stored in PostgreSQL.", impressionsWritten.load(ordering: .relaxed))
        counter(
            "abctl_decisions_refused_total",
            "Decisions answered 503 because the impression buffer was full; nothing of them was logged.",
            decisionsRefused.load(ordering: .relaxed)
        )
        counter(
            "abctl_impressions_rejected_total",
            "Impressions PostgreSQL refused to store, written to the dead-letter file instead.",
            impressionsRejected.load(ordering: .relaxed)
        )
        counter("abctl_overload_responses_total", "Requests answered 503 because a limit was reached.", overloadResponses.load(ordering: .relaxed))
        counter("abctl_experiment_reloads_total", "Reloads of experiments and allocations.", reloads.load(ordering: .relaxed))
        out += "# HELP abctl_event_commit_seconds_sum Time spent committing event batches.\n# TYPE abctl_event_commit_seconds_sum counter\n"
        out += "abctl_event_commit_seconds_sum \(Self.seconds(eventCommitMicros))\n"
        counter("abctl_event_commit_seconds_count", "Event batch commits.", eventCommits.load(ordering: .relaxed))
        out += "# HELP abctl_impression_flush_seconds_sum Time spent flushing impressions.\n# TYPE abctl_impression_flush_seconds_sum counter\n"
        out += "abctl_impression_flush_seconds_sum \(Self.seconds(impressionFlushMicros))\n"
        counter("abctl_impression_flush_seconds_count", "Impression flushes.", impressionFlushes.load(ordering: .relaxed))
        out += requests.render()
        for gauge in gauges {
            out += "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(gauge.value)\n"
        }
        return out
    }

    /// Adds the time since `start` to a latency sum and its count.
    static func record(since start: ContinuousClock.Instant, sum: borrowing Atomic<Int>, count: borrowing Atomic<Int>) {
        let elapsed = ContinuousClock.now - start
        let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
        sum.add(micros, ordering: .relaxed)
        count.add(1, ordering: .relaxed)
    }

    private static func seconds(_ micros: borrowing Atomic<Int>) -> String {
        String(format: "%.6f", Double(micros.load(ordering: .relaxed)) / 1e6)
    }

    private static func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
