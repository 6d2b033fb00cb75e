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
    /// A 400 for a body that is not the JSON expected, naming the field from the decoding path.
    static func badJSON(_ error: any Error) -> APIError {
        guard let decoding = error as? DecodingError else {
            return APIError(.badRequest, "The request body is not valid JSON: \(error)")
        }
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
    /// The body decoded as JSON `T`; 413 past `limit` bytes, 400 naming the field when malformed.
    func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        var request = self
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "The request body is larger than \(limit) bytes")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError.badJSON(error)
        }
    }
}
