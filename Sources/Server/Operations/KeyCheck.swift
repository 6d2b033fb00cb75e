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
/// While PostgreSQL is down, keys already verified keep working. An unknown key is remembered
/// too, for `refusalLifetime` (or until the next reload), so a flood of bad keys costs one
/// query per key, not one per request.
public final class KeyCache: Sendable {
    private struct State {
        var verified: [String: Set<ApiKeyStore.Scope>] = [:]
        /// Unknown or revoked keys and when they were last found so.
        var refused: [String: ContinuousClock.Instant] = [:]
    }

    /// How long an unknown key is answered from memory.
    static let refusalLifetime: Duration = .seconds(10)
    /// Most unknown keys remembered; past it the oldest half is forgotten (bounds memory
    /// under a flood of distinct keys).
    static let maxRefused = 10_000

    private let state = Mutex(State())
    let pool: PostgresConnectionPool

    init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// The key's scopes; nil for an unknown or revoked key. Throws when it cannot be checked.
    func scopes(of key: String) async throws -> Set<ApiKeyStore.Scope>? {
        // The clock is read only for keys refused before: a known key's lookup is one hash.
        let cached = state.withLock { state -> Set<ApiKeyStore.Scope>?? in
            if let known = state.verified[key] { return .some(known) }
            if let refusedAt = state.refused[key], ContinuousClock.now - refusedAt < Self.refusalLifetime { return .some(nil) }
            return nil
        }
        if let cached { return cached }
        let scopes = try await pool.withConnection { db in try ApiKeyStore(connection: db).verify(key) }
        state.withLock { state in
            if let scopes {
                state.verified[key] = scopes
            } else {
                if state.refused.count >= Self.maxRefused {
                    let cutoff = state.refused.values.sorted()[state.refused.count / 2]
                    state.refused = state.refused.filter { $0.value > cutoff }
                }
                state.refused[key] = ContinuousClock.now
            }
        }
        return scopes
    }

    /// True when `authorization` carries a key verified before with the `needed` (or admin)
    /// scope; false says only that memory cannot tell (`KeyCheck` decides then).
    func allowsFromMemory(_ authorization: String?, needed: ApiKeyStore.Scope) -> Bool {
        guard let key = Self.key(inAuthorization: authorization), let scopes = state.withLock({ $0.verified[key] }) else { return false }
        return scopes.contains(needed) || scopes.contains(.admin)
    }

    /// The key of an `Authorization: Bearer KEY` header with surrounding blanks and tabs
    /// removed; nil for any other header. Trimmed by hand: Foundation's `trimmingCharacters`
    /// cost about 5 % of a decision's CPU in the profile, for the same result on a header.
    static func key(inAuthorization header: String?) -> String? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        var key = header.dropFirst("Bearer ".count)
        while key.first == " " || key.first == "\t" { key.removeFirst() }
        while key.last == " " || key.last == "\t" { key.removeLast() }
        return String(key)
    }

    /// Forgets every verified and every refused key (after a reload, so revocations and new
    /// keys take effect).
    func clear() {
        state.withLock { $0 = State() }
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
        if path.hasPrefix("/v1/events") || path.hasPrefix("/v1/outcomes") { return .events }
        if path.hasPrefix("/dashboard") { return .admin }
        return nil
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let needed = Self.scope(for: request.uri.path) else { return try await next(request, context) }
        guard let key = KeyCache.key(inAuthorization: request.headers[.authorization]) else {
            throw APIError(
                .unauthorized,
                "This route needs an API key: send Authorization: Bearer KEY (create one with abctl keys create)",
                field: "Authorization"
            )
        }
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
