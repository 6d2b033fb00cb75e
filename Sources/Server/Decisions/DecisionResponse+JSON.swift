import Hummingbird

/// The answer written by hand straight into the response buffer: this runs on every
/// decision, and Foundation's JSONEncoder (or building a String first) costs more than the
/// decision itself. Field names match the Codable keys.
extension DecisionResponse: ResponseGenerator {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: json())
        )
    }

    /// The most bytes `json()` can write: fixed text, numbers, and every string fully escaped.
    var jsonBound: Int {
        var bound = 200 + 4 * JSONBytesWriter.numberBound + (features?.count ?? 0) * (JSONBytesWriter.numberBound + 1)
        bound += [requestID, experiment, arm, reason ?? ""].reduce(0) { $0 + JSONBytesWriter.bound(of: $1) }
        for item in items {
            bound += 48 + 2 * JSONBytesWriter.numberBound + JSONBytesWriter.bound(of: item.itemID) + JSONBytesWriter.bound(of: item.team ?? "")
        }
        return bound
    }

    /// The answer as JSON bytes.
    func json() -> ByteBuffer {
        let bound = jsonBound
        var buffer = ByteBufferAllocator().buffer(capacity: bound)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { memory in
            var out = JSONBytesWriter(into: memory)
            out.text(#"{"request_id":"#)
            out.string(requestID)
            out.text(#","experiment":"#)
            out.string(experiment)
            out.text(#","version":"#)
            out.integer(Int64(version))
            out.text(#","arm":"#)
            out.string(arm)
            out.text(#","items":["#)
            for (index, item) in items.enumerated() {
                out.text(index > 0 ? #",{"item_id":"# : #"{"item_id":"#)
                out.string(item.itemID)
                out.text(#","score":"#)
                out.number(item.score)
                out.text(#","position":"#)
                out.integer(Int64(item.position))
                if let team = item.team {
                    out.text(#","team":"#)
                    out.string(team)
                }
                out.text("}")
            }
            out.text(#"],"propensity":"#)
            out.number(propensity)
            out.text(#","allocation_version":"#)
            out.integer(allocationVersion)
            if let reason {
                out.text(#","reason":"#)
                out.string(reason)
            }
            if let modelVersion {
                out.text(#","model_version":"#)
                out.integer(modelVersion)
            }
            if let features {
                out.text(#","features":["#)
                for (index, value) in features.enumerated() {
                    if index > 0 { out.text(",") }
                    out.number(value)
                }
                out.text("]")
            }
            out.text("}")
            return out.count
        }
        return buffer
    }
}
