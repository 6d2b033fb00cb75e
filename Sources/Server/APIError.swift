import Foundation
import HTTPTypes
import Hummingbird

/// An error answered over HTTP as `{"error": {"status", "message", "field"?}}`, so clients
/// always get a JSON body they can show or act on.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// The request field at fault, when there is one.
    public var field: String?
    /// Seconds after which a retry may succeed (sent as Retry-After).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public var description: String { message }

    struct Body: Encodable {
        struct Detail: Encodable {
            var status: Int
            var message: String
            var field: String?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(Body(error: .init(status: status.code, message: message, field: field)))
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension APIError {
    /// A 400 for a body that is not the JSON expected, naming the field. When `body` is not JSON
    /// that can be read, `JSONFaultLocator` names the field (JSONDecoder names none for a syntax
    /// error, a number it cannot represent or a lone surrogate); otherwise the decoding path does.
    static func badJSON(_ error: any Error, body: some Collection<UInt8>) -> APIError {
        guard let decoding = error as? DecodingError else {
            return APIError(.badRequest, "The request body is not valid JSON: \(error)")
        }
        // Our own checks (unstorable text) throw with a path: their message stands. Otherwise a
        // body that is not readable JSON is the locator's to name: the decoder names no field
        // for it, or, reading a number lazily, calls 1e400 a type mismatch.
        let isOurCheck: Bool
        if case .dataCorrupted(let context) = decoding { isOurCheck = !context.codingPath.isEmpty } else { isOurCheck = false }
        if !isOurCheck, let fault = JSONFaultLocator.locate(body) { return APIError(fault) }
        func path(_ keys: [any CodingKey]) -> String? {
            let parts = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return parts.isEmpty ? nil : String(parts.drop { $0 == "." })
        }
        switch decoding {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return APIError(.badRequest, "The request body is not valid JSON")
        case .dataCorrupted(let context):
            return APIError(
                .badRequest,
                "Field \(path(context.codingPath) ?? "?") is invalid: \(context.debugDescription)",
                field: path(context.codingPath)
            )
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return APIError(.badRequest, "Field \(field ?? key.stringValue) is required", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return APIError(.badRequest, "Field \(field ?? "body") must be of type \(Self.jsonName(type))", field: field)
        @unknown default:
            return APIError(.badRequest, "The request body could not be read: \(decoding)")
        }
    }

    /// The 400 for a fault the locator found: naming its field when it is in one.
    init(_ fault: JSONFault) {
        let place = fault.field.map { "Field \($0) is" } ?? "The request body is"
        self.init(.badRequest, "\(place) not valid JSON: \(fault.reason) at byte \(fault.offset)", field: fault.field)
    }

    private static func jsonName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Double.Type: "number"
        case is Bool.Type: "boolean"
        default: "\(type)".hasPrefix("Array") ? "array" : "object"
        }
    }
}

extension Request {
    /// The whole body; 413 past `limit` bytes, at once when Content-Length already says so
    /// (instead of waiting for bytes a client may never send).
    func collectBody(refusingPast limit: Int) async throws -> ByteBuffer {
        let tooLarge = APIError(.contentTooLarge, "The request body is larger than \(limit) bytes")
        if let declared = headers[.contentLength], let length = Int(declared), length > limit { throw tooLarge }
        var request = self
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw tooLarge
        }
    }
}
