import Foundation
import Hummingbird

/// POST /v1/decisions: assigns, ranks and logs one decision.
struct DecisionsController<Context: RequestContext>: Sendable {
    let service: DecisionService
    let maxBodyBytes: Int

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.post("/v1/decisions") { request, _ in
            let body = try await request.collectBody(refusingPast: maxBodyBytes)
            return try await service.decide(DecisionRequest.read(from: body))
        }
        return routes
    }
}

extension DecisionRequest {
    /// The request in a body: read by `DecisionRequestParser`, or, for anything it leaves
    /// alone (including every malformed body), by JSONDecoder, whose errors name the field.
    static func read(from body: ByteBuffer) throws -> DecisionRequest {
        if let request = DecisionRequestParser.parse(body) { return request }
        do {
            return try DecisionRequest.decode(Data(body.readableBytesView))
        } catch {
            throw APIError.badJSON(error, body: body.readableBytesView)
        }
    }
}
