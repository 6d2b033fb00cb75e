import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing

/// Decisions and events need an API key with the route's scope; health and metrics do not.
@Suite("API keys")
struct ApiKeyTests {
    /// POSTs with an optional bearer key; returns the status and the error's field.
    static func post(_ client: any TestClientProtocol, _ uri: String, _ json: String, key: String?) async throws -> (status: Int, field: String?) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: json)) { response in
            let object = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
            return (response.status.code, (object["error"] as? [String: Any])?["field"] as? String)
        }
    }

    @Test("401 without a valid key, 403 with the wrong scope, 200/202 with the right one, 401 after revocation; nothing logged when refused")
    func scopesAndRevocation() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let store = ApiKeyStore(connection: try fixture.connection())
            let decide = try store.create(scopes: [.decide], name: "app")
            let events = try store.create(scopes: [.events], name: "collector")
            let decision = #"{"experiment":"server-test","unit_id":"u1","k":2}"#
            let time = isoTime(-5)
            let accepted = try await fixture.test(configure: { $0.requiresKeys = true }) { client -> Int in
                #expect(try await Self.post(client, "/v1/decisions", decision, key: nil) == (401, "Authorization"))
                #expect(try await Self.post(client, "/v1/decisions", decision, key: "abk_k0000_wrong") == (401, "Authorization"))
                // A real id with a forged secret is refused too.
                #expect(try await Self.post(client, "/v1/decisions", decision, key: "abk_\(decide.id)_0000").status == 401)
                #expect(try await Self.post(client, "/v1/decisions", decision, key: events.key) == (403, "Authorization"))
                let answer = try await client.execute(
                    uri: "/v1/decisions",
                    method: .post,
                    headers: [.contentType: "application/json", .authorization: "Bearer \(decide.key)"],
                    body: ByteBuffer(string: decision)
                ) { response in
                    (response.status.code, (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any])
                }
                #expect(answer.0 == 200)
                // Blanks and tabs around the key are not part of it.
                #expect(try await Self.post(client, "/v1/decisions", decision, key: " \t\(decide.key)\t ").status == 200)
                let request = try #require(answer.1?["request_id"] as? String)
                let batch = #"{"events":[\#(eventJSON(id: "e1", request: request, timestamp: time))]}"#
                #expect(try await Self.post(client, "/v1/events", batch, key: decide.key) == (403, "Authorization"))
                #expect(try await Self.post(client, "/v1/events", batch, key: events.key).status == 202)
                #expect(try await client.getText("/healthz").status == 200)
                #expect(try await client.getText("/metrics").status == 200)

                try ApiKeyStore(connection: fixture.connection()).revoke(decide.id)
                // Until the NOTIFY reaches the server the key still works; count those decisions.
                var decisions = 2
                var refused = false
                for _ in 0..<200 where !refused {
                    let status = try await Self.post(client, "/v1/decisions", decision, key: decide.key).status
                    if status == 200 { decisions += 1 } else { refused = status == 401 }
                    if !refused { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(refused, "a revoked key is refused once the NOTIFY reaches the server")
                return decisions
            }
            let db = try fixture.connection()
            // An impression per accepted decision (the refused ones left none); one stored event.
            let impressions = try await ServerFixture.eventually {
                try db.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) == accepted
            }
            #expect(impressions)
            #expect(try db.query("SELECT count(*) FROM feedback")[0].decode(Int.self, at: 0) == 1)
            #expect(try store.list().first { $0.id == decide.id }?.revokedAt != nil)
        }
    }

    @Test("an unknown key is remembered as refused until the next reload, so a new row for it is not seen before then")
    func unknownKeysAreRemembered() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DecisionsTests.spec)
            let decision = #"{"experiment":"server-test","unit_id":"u1","k":2}"#
            let key = "abk_kfeedbee_" + String(repeating: "ab", count: 24)
            try await fixture.test(configure: {
                $0.requiresKeys = true
                $0.reloadPollInterval = 3600  // only the NOTIFY below reloads
            }) { client in
                // The reloader's first load (when its LISTEN connection is up) clears the caches too: wait for it.
                let settled = try await ServerFixture.eventually {
                    !(try await client.getText("/metrics").text.contains("abctl_experiment_reloads_total 0"))
                }
                #expect(settled)
                #expect(try await Self.post(client, "/v1/decisions", decision, key: key) == (401, "Authorization"))
                // The key becomes valid in PostgreSQL behind the server's back (no NOTIFY): the
                // server still answers from its memory of the refusal, without asking PostgreSQL.
                let db = try fixture.connection()
                try db.execute(
                    """
                    INSERT INTO api_keys (id, secret_hash, scopes, name)
                    VALUES ('kfeedbee', encode(sha256(convert_to(\(key), 'UTF8')), 'hex'), '{decide}', 'late')
                    """
                )
                #expect(try await Self.post(client, "/v1/decisions", decision, key: key) == (401, "Authorization"))
                #expect(try await Self.post(client, "/v1/decisions", decision, key: key) == (401, "Authorization"))
                // A reload (as every NOTIFY brings) forgets refusals with the verified keys.
                try db.notify(ExperimentStore.notificationChannel, payload: "api_keys")
                let accepted = try await ServerFixture.eventually {
                    try await Self.post(client, "/v1/decisions", decision, key: key).status == 200
                }
                #expect(accepted)
            }
        }
    }
}
