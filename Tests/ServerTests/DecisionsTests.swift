import Engine
import Foundation
import Spec
import Storage
import Testing

@Suite("POST /v1/decisions")
struct DecisionsTests {
    static let spec = """
        name: server-test
        status: running
        traffic: 0.9
        sticky: true
        arms:
          - key: control
            strategy: popularity
            control: true
            weight: 0.3
          - key: treatment
            strategy: popularity
            params: {half_life_hours: 24}
            weight: 0.7
        metrics:
          primary: ctr
        """

    /// The assigner the server should be using: the stored spec under the stored allocation.
    static func expectedAssigner(_ spec: ExperimentSpec, fixture: ServerFixture) throws -> ExperimentAssigner {
        let record = try #require(try ExperimentStore(connection: fixture.connection()).currentAllocation(spec.name))
        let plan = try AssignmentPlan(
            specs: [spec],
            allocations: [spec.name: Allocation(version: record.version, weights: record.weights, start: record.effectiveFrom)]
        )
        return try #require(plan.assigners[spec.name])
    }

    static func seedItems(_ fixture: ServerFixture) throws {
        // Interaction counts a:3, b:2, c:1; d is in the catalogue without interactions (score 0).
        let db = try fixture.connection()
        for (item, count) in [("a", 3), ("b", 2), ("c", 1)] {
            for n in 0..<count {
                try db.execute("INSERT INTO interactions (unit_id, item_id, event_type, occurred_at) VALUES (\("x\(n)"), \(item), 'click', now())")
            }
        }
        try db.execute("INSERT INTO items (item_id) VALUES ('d')")
    }

    @Test("arm, propensity and reason equal ExperimentAssigner's, items are ranked by popularity, and impressions are logged")
    func matchesAssigner() async throws {
        try await ServerFixture.with { fixture in
            try Self.seedItems(fixture)
            let spec = try fixture.apply(Self.spec)
            let assigner = try Self.expectedAssigner(spec, fixture: fixture)
            let units = (0..<40).map { "unit-\($0)" }
            let answers = try await fixture.test { client in
                var answers: [[String: Any]] = []
                for unit in units {
                    let answer = try await client.post(
                        "/v1/decisions",
                        #"{"experiment":"server-test","unit_id":"\#(unit)","context":{"country":"DE"},"k":3,"exclude":["a"]}"#
                    )
                    #expect(answer.status == 200)
                    answers.append(answer.body)
                }
                // Flattened to text (Sendable); items as "id:score@position" in order, scores
                // to 3 decimals (the popularity strategy scores in Float).
                return answers.map { answer in
                    var fields = answer.mapValues { "\($0)" }
                    let items = answer["items"] as? [[String: Any]] ?? []
                    fields["items"] = items.map {
                        "\($0["item_id"] ?? "?"):\(String(format: "%.3f", ($0["score"] as? Double) ?? -1))@\($0["position"] ?? "?")"
                    }.joined(
                        separator: ","
                    )
                    return fields
                }
            }
            var reasons = Set<String>()
            for (unit, answer) in zip(units, answers) {
                let expected = assigner.assign(unit: unit, context: ["country": .text("DE")])
                #expect(answer["arm"] == (expected.arm ?? "control"), "unit \(unit)")
                #expect(answer["propensity"].flatMap(Double.init) == (expected.arm == nil ? 1 : expected.propensity), "unit \(unit)")
                #expect(answer["allocation_version"] == "\(expected.allocationVersion)")
                #expect(answer["version"] == "1")
                if expected.exclusion == .notInTraffic { #expect(answer["reason"] == "not_in_traffic") } else { #expect(answer["reason"] == nil) }
                reasons.insert(answer["reason"] ?? "")
            }
            // Popularity with "a" excluded: b (2 interactions), c (1), d (0). Both arms: the
            // treatment's 24 h half-life barely decays interactions made a moment ago.
            for answer in answers { #expect(answer["items"] == "b:2.000@1,c:1.000@2,d:0.000@3") }
            #expect(reasons.count == 2, "the 40 units should include some outside the 90% traffic")

            let db = try fixture.connection()
            let logged = try await ServerFixture.eventually {
                try db.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) == units.count
            }
            #expect(logged)
            for answer in answers {
                let requestID = try #require(answer["request_id"])
                let row = try db.query(
                    "SELECT arm, propensity, allocation_version, item_ids, reason, context::text FROM impressions WHERE request_id = \(requestID)::uuid"
                )
                let (arm, propensity, version, itemIDs, reason, context) = try #require(row.first).decode(
                    (String, Double, Int64, [String], String?, String).self
                )
                #expect(context == #"{"country": "DE"}"#)  // jsonb's text form of the request's context
                #expect(arm == answer["arm"])
                #expect(propensity == answer["propensity"].flatMap(Double.init))
                #expect("\(version)" == answer["allocation_version"])
                #expect(itemIDs == ["b", "c", "d"])
                #expect(reason == answer["reason"])
            }
        }
    }

    @Test("a status change and a newly applied experiment are picked up through NOTIFY without a restart")
    func reloadsOnNotify() async throws {
        try await ServerFixture.with { fixture in
            let spec = try fixture.apply(Self.spec)
            let assigner = try Self.expectedAssigner(spec, fixture: fixture)
            let unit = try #require((0..<100).map { "u\($0)" }.first { assigner.assign(unit: $0).arm == "treatment" })
            let request = #"{"experiment":"server-test","unit_id":"\#(unit)","k":2}"#
            try await fixture.test { client in
                let running = try await client.post("/v1/decisions", request)
                #expect(running.body["arm"] as? String == "treatment")
                #expect(running.body["propensity"] as? Double == 0.7)

                try ExperimentStore(connection: fixture.connection()).setStatus("server-test", to: "paused", by: "test", reason: "check fallback")
                let paused = try await ServerFixture.eventually {
                    try await client.post("/v1/decisions", request).body["reason"] as? String == "not_running"
                }
                #expect(paused)
                let fallback = try await client.post("/v1/decisions", request)
                #expect(fallback.body["arm"] as? String == "control")
                #expect(fallback.body["propensity"] as? Double == 1)

                let unknown = try await client.post("/v1/decisions", #"{"experiment":"later","unit_id":"u1"}"#)
                #expect(unknown.status == 404)
                _ = try fixture.apply(Self.spec.replacingOccurrences(of: "name: server-test", with: "name: later"))
                let appeared = try await ServerFixture.eventually {
                    try await client.post("/v1/decisions", #"{"experiment":"later","unit_id":"u1"}"#).status == 200
                }
                #expect(appeared)
            }
        }
    }

    @Test(
        "a malformed decision request gets 400 naming the field",
        arguments: [
            (#"{"experiment":"server-test","unit_id":"u","k":0}"#, "k"),
            (#"{"experiment":"server-test","k":3}"#, "unit_id"),
            (#"{"experiment":"server-test","unit_id":"u","context":{"tags":["x"]}}"#, "context.tags"),
            (#"{"experiment":"server-test","unit_id":"u","exclude":"a"}"#, "exclude"),
        ]
    )
    func malformed(body: String, field: String) async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec)
            try await fixture.test { client in
                let answer = try await client.post("/v1/decisions", body)
                #expect(answer.status == 400)
                #expect((answer.body["error"] as? [String: Any])?["field"] as? String == field)
            }
            try await Task.sleep(for: .milliseconds(100))
            #expect(try fixture.connection().query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) == 0)
        }
    }
}
