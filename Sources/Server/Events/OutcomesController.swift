import Foundation
import Hummingbird

/// POST /v1/outcomes: checks a batch of outcome events (events keyed by unit that answer no
/// decision, such as orders) and stores the valid ones durably before answering 202, with
/// the guarantees of POST /v1/events: idempotent by (event_id, timestamp), spooled while
/// PostgreSQL is unreachable, 503 past the writer's limits, refusals naming the field.
struct OutcomesController<Context: RequestContext>: Sendable {
    let writer: OutcomeWriter
    let metrics: ServerMetrics
    let maxEvents: Int
    let maxBodyBytes: Int

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/outcomes") { request, context in try await post(request, context: context) }
        return routes
    }

    func post(_ request: Request, context: Context) async throws -> EditedResponse<EventReceipt> {
        let batch = try await EventBatchValidator.events(in: request, limit: maxBodyBytes, maxEvents: maxEvents)
        let outcome = EventBatchValidator(now: Date()).checkOutcomes(batch)
        let events = outcome.valid.map(\.event)
        let receipt = EventReceipt(try await writer.store(events), of: events.count, rejected: outcome.rejected, errors: outcome.problems)
        receipt.count(in: metrics)
        return EditedResponse(status: .accepted, response: receipt)
    }
}
