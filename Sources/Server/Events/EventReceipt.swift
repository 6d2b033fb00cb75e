import Hummingbird

/// The 202 body of POST /v1/events and /v1/outcomes: counts, and a problem per rejected event.
struct EventReceipt: ResponseEncodable {
    var accepted: Int
    var duplicates: Int
    var rejected: Int
    /// Whether the accepted events sit in the local spool (PostgreSQL unreachable).
    var spooled: Bool
    var errors: [EventBatchValidator.Problem]

    /// The receipt for `count` valid events that the writer stored as `stored`.
    init<Table>(_ stored: EventWriter<Table>.Outcome, of count: Int, rejected: Int, errors: [EventBatchValidator.Problem]) {
        switch stored {
        case .committed(let inserted):
            self.init(accepted: inserted, duplicates: count - inserted, rejected: rejected, spooled: false, errors: errors)
        case .spooled:
            self.init(accepted: count, duplicates: 0, rejected: rejected, spooled: true, errors: errors)
        }
    }

    init(accepted: Int, duplicates: Int, rejected: Int, spooled: Bool, errors: [EventBatchValidator.Problem]) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.rejected = rejected
        self.spooled = spooled
        self.errors = errors
    }

    /// Adds the counts to the server's event counters.
    func count(in metrics: ServerMetrics) {
        metrics.eventsAccepted.add(accepted, ordering: .relaxed)
        metrics.eventsDuplicate.add(duplicates, ordering: .relaxed)
        metrics.eventsRejected.add(rejected, ordering: .relaxed)
    }
}
