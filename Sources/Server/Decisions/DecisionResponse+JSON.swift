import Hummingbird

/// The answer written by hand: this runs on every decision and Foundation's JSONEncoder
/// costs more than the decision itself. Field names match the Codable keys.
extension DecisionResponse: ResponseGenerator {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var out = #"{"request_id":"\#(requestID)","experiment":"#
        ContextJSON.appendString(experiment, to: &out)
        out += #","version":\#(version),"arm":"#
        ContextJSON.appendString(arm, to: &out)
        out += #","items":["#
        for (index, item) in items.enumerated() {
            if index > 0 { out += "," }
            out += #"{"item_id":"#
            ContextJSON.appendString(item.itemID, to: &out)
            out += #","score":\#(item.score.isFinite ? "\(item.score)" : "null"),"position":\#(item.position)"#
            if let team = item.team {
                out += #","team":"#
                ContextJSON.appendString(team, to: &out)
            }
            out += "}"
        }
        out += #"],"propensity":\#(propensity),"allocation_version":\#(allocationVersion)"#
        if let reason {
            out += #","reason":"#
            ContextJSON.appendString(reason, to: &out)
        }
        out += "}"
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: out))
        )
    }
}
