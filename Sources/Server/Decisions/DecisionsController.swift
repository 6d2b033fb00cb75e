import Hummingbird

/// POST /v1/decisions: assigns, ranks and logs one decision.
struct DecisionsController<Context: RequestContext>: Sendable {
    let service: DecisionService
    let maxBodyBytes: Int

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/decisions") { request, _ in
            let body = try await request.decodeJSON(DecisionRequest.self, limit: maxBodyBytes)
            return try await service.decide(body)
        }
        return routes
    }
}
