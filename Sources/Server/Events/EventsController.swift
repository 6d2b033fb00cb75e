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

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/events") { request, context in try await post(request, context: context) }
        return routes
    }

    func post(_ request: Request, context: Context) async throws -> EditedResponse<EventReceipt> {
        let batch = try await EventBatchValidator.events(in: request, limit: maxBodyBytes, maxEvents: maxEvents)
        let outcome = EventBatchValidator(now: Date()).check(batch)
        let checked = await requests.check(outcome.valid)
        let events = checked.kept.map(\.event)
        let rejected = outcome.rejected + checked.problems.count
        // Problems in batch order, as the validator reports them.
        let problems = (outcome.problems + checked.problems).enumerated()
            .sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }
            .map(\.element)
        let receipt = EventReceipt(try await writer.store(events), of: events.count, rejected: rejected, errors: problems)
        onAccepted(events)
        receipt.count(in: metrics)
        return EditedResponse(status: .accepted, response: receipt)
    }
}
