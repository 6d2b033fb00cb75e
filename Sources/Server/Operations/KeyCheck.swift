import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PostgresClient
import Storage
import Synchronization

/// Verified API keys held in memory, so a decision does not wait for PostgreSQL: a key is
/// checked against `api_keys` the first time it is seen and then served from here until the
/// next reload (every NOTIFY, e.g. `abctl keys revoke`, and the poll) empties the cache.
/// While PostgreSQL is down, keys already verified keep working.
public final class KeyCache: Sendable {
    private let verified = Mutex<[String: Set<ApiKeyStore.Scope>]>([:])
    let pool: PostgresConnectionPool

    init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// The key's scopes; nil for an unknown or revoked key. Throws when it cannot be checked.
    func scopes(of key: String) async throws -> Set<ApiKeyStore.Scope>? {
        if let known = verified.withLock({ $0[key] }) { return known }
        let scopes = try await pool.withConnection { db in try ApiKeyStore(connection: db).verify(key) }
        if let scopes { verified.withLock { $0[key] = scopes } }
        return scopes
    }

    /// Forgets every verified key (after a reload, so revocations take effect).
    func clear() {
        verified.withLock { $0.removeAll() }
    }
}

/// Requires `Authorization: Bearer KEY` with the route's scope: 401 without a valid key, 403
/// with a key lacking the scope, 503 when the key cannot be checked (PostgreSQL down and the
/// key not yet verified). Health, readiness, metrics and the OpenAPI document stay open.
struct KeyCheck<Context: RequestContext>: RouterMiddleware {
    let cache: KeyCache

    /// The scope a path needs; nil for open paths.
    static func scope(for path: String) -> ApiKeyStore.Scope? {
        if path.hasPrefix("/v1/decisions") { return .decide }
        if path.hasPrefix("/v1/events") { return .events }
        if path.hasPrefix("/dashboard") { return .admin }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let needed = Self.scope(for: request.uri.path) else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(
                .unauthorized,
                "This route needs an API key: send Authorization: Bearer KEY (create one with abctl keys create)",
                field: "Authorization"
            )
        }
        let key = String(header.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
        let scopes: Set<ApiKeyStore.Scope>?
        do {
            scopes = try await cache.scopes(of: key)
        } catch {
            throw APIError(.serviceUnavailable, "The API key cannot be checked while PostgreSQL is unreachable; retry shortly", retryAfter: 1)
        }
        guard let scopes else {
            throw APIError(.unauthorized, "The API key is unknown or revoked", field: "Authorization")
        }
        guard scopes.contains(needed) || scopes.contains(.admin) else {
            throw APIError(
                .forbidden,
                "The API key lacks the \(needed.rawValue) scope (it has \(scopes.map(\.rawValue).sorted().joined(separator: ", ")))",
                field: "Authorization"
            )
        }
        return try await next(request, context)
    }
}
