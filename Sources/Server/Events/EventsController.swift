import Foundation
import Hummingbird

/// POST /v1/events: checks a batch of feedback events and stores the valid ones durably
/// before answering 202 with counts and per-event errors.
struct EventsController<Context: RequestContext>: Sendable {
    let writer: FeedbackWriter
    let requests: RequestCheck
    let metrics: ServerMetrics
    let maxEvents: Int
    let maxBodyBytes: Int
    /// Gets the events that were stored or spooled (the strategies' online update).
    var onAccepted: @Sendable ([FeedbackEvent]) -> Void = { _ in }

    struct Batch: Decodable {
        var events: [LooseJSON]
    }

    /// The 202 body.
    struct Receipt: ResponseEncodable {
        var accepted: Int
        var duplicates: Int
        var rejected: Int
        /// Whether the accepted events sit in the local spool (PostgreSQL unreachable).
        var spooled: Bool
        var errors: [EventBatchValidator.Problem]
    }

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/events") { request, context in try await post(request, context: context) }
        return routes
    }

    func post(_ request: Request, context: Context) async throws -> EditedResponse<Receipt> {
        let batch = Batch(events: try await EventBatchValidator.events(in: request, limit: maxBodyBytes))
        guard batch.events.count <= maxEvents else {
            throw APIError(
                .contentTooLarge,
                "A batch holds at most \(maxEvents) events; this one has \(batch.events.count). Split it",
                field: "events"
            )
        }
        let outcome = EventBatchValidator(now: Date()).check(batch.events)
        let checked = await requests.check(outcome.valid)
        let events = checked.kept.map(\.event)
        let rejected = outcome.rejected + checked.problems.count
        // Problems in batch order, as the validator reports them.
        let problems = (outcome.problems + checked.problems).enumerated()
            .sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }
            .map(\.element)
        let stored = try await writer.store(events)
        let receipt: Receipt
        switch stored {
        case .committed(let inserted):
            receipt = Receipt(accepted: inserted, duplicates: events.count - inserted, rejected: rejected, spooled: false, errors: problems)
        case .spooled:
            receipt = Receipt(accepted: events.count, duplicates: 0, rejected: rejected, spooled: true, errors: problems)
        }
        onAccepted(events)
        metrics.eventsAccepted.add(receipt.accepted, ordering: .relaxed)
        metrics.eventsDuplicate.add(receipt.duplicates, ordering: .relaxed)
        metrics.eventsRejected.add(receipt.rejected, ordering: .relaxed)
        return EditedResponse(status: .accepted, response: receipt)
    }
}
