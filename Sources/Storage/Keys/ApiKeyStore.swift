import Foundation
import PostgresClient

/// API keys of the decision service in PostgreSQL: created with scopes, listed, revoked,
/// and verified by the SHA-256 of the presented key (only the hash is stored).
public struct ApiKeyStore {
    /// What a key may do: ask for decisions, send events, or administer (dashboards).
    public enum Scope: String, Sendable, CaseIterable, Codable {
        case decide
        case events
        case admin
    }

    /// One stored key, without its secret.
    public struct Record: Sendable, Equatable {
        public var id: String
        public var name: String
        public var scopes: [Scope]
        public var createdAt: Date
        public var revokedAt: Date?
    }

    let connection: PostgresConnection

    public init(connection: PostgresConnection) {
        self.connection = connection
    }

    /// Creates a key and returns it whole; this is the only time the secret is visible.
    public func create(scopes: [Scope], name: String = "") throws -> (id: String, key: String) {
        guard !scopes.isEmpty else { throw StorageError("A key needs at least one scope", advice: "Pass --scope decide, events or admin") }
        var generator = SystemRandomNumberGenerator()
        func hex(_ bytes: Int) -> String {
            (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        }
        let id = "k" + hex(4)
        let key = "abk_\(id)_\(hex(24))"
        let scopeNames = Array(Set(scopes.map(\.rawValue))).sorted()
        try connection.execute(
            """
            INSERT INTO api_keys (id, secret_hash, scopes, name)
            VALUES (\(id), encode(sha256(convert_to(\(key), 'UTF8')), 'hex'), \(scopeNames), \(name))
            """
        )
        return (id, key)
    }

    /// Every key, newest first.
    public func list() throws -> [Record] {
        try connection.query("SELECT id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at DESC, id").map { row in
            let (id, name, scopes, created, revoked) = try row.decode((String, String, [String], Date, Date?).self)
            return Record(id: id, name: name, scopes: scopes.compactMap(Scope.init(rawValue:)), createdAt: created, revokedAt: revoked)
        }
    }

    /// Revokes key `id` and tells the servers (they drop their cache of verified keys).
    public func revoke(_ id: String) throws {
        try connection.transaction { db in
            let rows = try db.query("UPDATE api_keys SET revoked_at = now() WHERE id = \(id) AND revoked_at IS NULL RETURNING id")
            guard !rows.isEmpty else {
                throw StorageError("There is no active key \(id)", advice: "See `abctl keys list` for the ids")
            }
            try db.notify(ExperimentStore.notificationChannel, payload: "api_keys")
        }
    }

    /// The scopes of `key` when it is a stored, unrevoked key; nil otherwise.
    public func verify(_ key: String) throws -> Set<Scope>? {
        let parts = key.split(separator: "_")
        guard parts.count == 3, parts[0] == "abk" else { return nil }
        let id = String(parts[1])
        let rows = try connection.query(
            """
            SELECT scopes FROM api_keys
            WHERE id = \(id) AND revoked_at IS NULL AND secret_hash = encode(sha256(convert_to(\(key), 'UTF8')), 'hex')
            """
        )
        guard let row = rows.first else { return nil }
        return Set(try row.decode([String].self, at: 0).compactMap(Scope.init(rawValue:)))
    }
}
