import Foundation
import Testing

/// Decisions answered on the event loop (`DecisionFastPath`) against the same decisions made
/// by the router, on a real server over plain sockets: the answers agree, both are logged and
/// timed, and pipelined requests get their responses in request order whichever path answers.
@Suite("Decisions answered on the event loop")
struct DecisionFastPathTests {
    static let spec = """
        name: fast
        status: running
        sticky: false
        arms:
          - {key: control, strategy: popularity, control: true, weight: 0.5}
          - {key: treatment, strategy: popularity, weight: 0.5}
        metrics: {primary: ctr}
        """

    static func decision(unit: String, k: Int, experiment: String = "fast", headers: [String] = []) -> String {
        RawHTTPConnection.request(
            "POST",
            "/v1/decisions",
            body: #"{"experiment":"\#(experiment)","unit_id":"\#(unit)","context":{"country":"DE"},"k":\#(k),"exclude":["a"]}"#,
            headers: headers
        )
    }

    /// The value of one sample line of the /metrics text, e.g. `abctl_decisions_total`.
    static func sample(_ metrics: String, _ name: String) -> Int? {
        metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test("pipelined requests are answered in request order, whichever path answers each")
    func pipelinedOrder() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec)
            try await fixture.test { client in
                let port = try #require(client.port)
                // One write: a decision the event loop can answer, then a health check (the
                // router's), a decision behind it, an unknown experiment (404, the router's) and a
                // last decision. Answered out of order, the item counts below would not line up.
                let responses = try await RawHTTPConnection.exchange(
                    port: port,
                    [
                        Self.decision(unit: "u1", k: 1),
                        RawHTTPConnection.request("GET", "/healthz"),
                        Self.decision(unit: "u2", k: 2),
                        Self.decision(unit: "u3", k: 1, experiment: "nope"),
                        Self.decision(unit: "u4", k: 3),
                    ],
                    count: 5
                )
                #expect(responses.map(\.status) == [200, 200, 200, 404, 200])
                #expect(responses.map { ($0.json["items"] as? [Any])?.count } == [1, nil, 2, nil, 3])
                #expect(responses[1].json["impression_spool_bytes"] != nil, "the second answer is the health check's")
                #expect((responses[3].json["error"] as? [String: Any])?["field"] as? String == "experiment")
                for decision in [responses[0], responses[2], responses[4]] {
                    #expect(decision.headers["content-type"] == "application/json; charset=utf-8")
                    #expect(decision.headers["server"] == "abctl")
                    #expect(decision.headers["date"]?.hasSuffix(" GMT") == true)
                }
                // The first decision had the connection to itself: the event loop answered it.
                let metrics = try await client.getText("/metrics").text
                #expect((Self.sample(metrics, "abctl_decisions_on_event_loop_total") ?? 0) >= 1)
            }
        }
    }

    @Test("a decision answered on the event loop equals the router's; both are logged and timed")
    func bothPathsAgree() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec)
            try await fixture.test { client in
                let port = try #require(client.port)
                // The same request twice: on a connection that stays open (the event loop
                // answers), and with Connection: close (always the router's).
                let fast = try #require(try await RawHTTPConnection.exchange(port: port, [Self.decision(unit: "u7", k: 3)], count: 1).first)
                let routed = try #require(
                    try await RawHTTPConnection.exchange(port: port, [Self.decision(unit: "u7", k: 3, headers: ["Connection: close"])], count: 1)
                        .first
                )
                #expect(fast.status == 200 && routed.status == 200)
                var fastAnswer = fast.json
                var routedAnswer = routed.json
                let ids = [fastAnswer.removeValue(forKey: "request_id") as? String, routedAnswer.removeValue(forKey: "request_id") as? String]
                #expect(ids[0] != nil && ids[1] != nil && ids[0] != ids[1])
                #expect(NSDictionary(dictionary: fastAnswer).isEqual(to: routedAnswer))
                // Popularity with a excluded: b (2 interactions), c (1), d (0).
                #expect((fastAnswer["items"] as? [[String: Any]])?.compactMap { $0["item_id"] as? String } == ["b", "c", "d"])

                let metrics = try await client.getText("/metrics").text
                #expect(Self.sample(metrics, "abctl_decisions_on_event_loop_total") == 1)
                #expect(Self.sample(metrics, "abctl_decisions_total") == 2)
                let timed = #"abctl_http_request_duration_seconds_count{method="POST",route="/v1/decisions",status="200"}"#
                #expect(Self.sample(metrics, timed) == 2)

                let stored = try await ServerFixture.eventually(seconds: 10) {
                    try fixture.connection().query("SELECT count(*) FROM impressions").first?.decode(Int.self, at: 0) == 2
                }
                #expect(stored)
                let rows = try fixture.connection().query("SELECT request_id::text, arm, item_ids, propensity FROM impressions ORDER BY request_id")
                let logged = try rows.map { try $0.decode((String, String, [String], Double).self) }
                #expect(Set(logged.map(\.0)) == Set(ids.compactMap { $0 }))
                #expect(logged.allSatisfy { $0.1 == fastAnswer["arm"] as? String && $0.2 == ["b", "c", "d"] && $0.3 == 0.5 })
            }
        }
    }
}
