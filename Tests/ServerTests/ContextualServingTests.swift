import Foundation
import HummingbirdTesting
import PostgresClient
import Storage
import Testing

/// Contextual bandits served over HTTP (issue 22): the arm of each request is chosen from its
/// context by the experiment's model, the answer and the impression carry the exact
/// propensity, the features and the model version, and the learner's checkpoints reach the
/// servers. Expected values come from the planted models by hand (comments give the sums).
@Suite("Contextual bandits over HTTP", .serialized)
struct ContextualServingTests {
    /// Two arms, features [intercept, x, device=mobile]; `extra` goes under allocation.
    static func spec(policy: String, extra: String = "") -> String {
        """
        name: ctx
        status: running
        arms:
          - {key: a, strategy: popularity, weight: 0.5, control: true}
          - {key: b, strategy: popularity, weight: 0.5}
        allocation:
          policy: \(policy)
          reward: ctr
          features: [x, device=mobile]
          burn_in: 0
          min_weight: 0
        \(extra.isEmpty ? "" : "  " + extra)
        metrics:
          primary: ctr
          attribution_window: 1h
        """
    }

    /// Stores model version `version` of `ctx`: A = I for both arms (so θ = b), b_a = `a`, b_b = `b`,
    /// each arm with 10 updates (past any burn-in the tests use).
    static func plant(_ db: PostgresConnection, version: Int64 = 1, a: [Double], b: [Double]) throws {
        let identity: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        try db.execute(
            """
            INSERT INTO abctl_contextual_models
                (experiment, model_version, experiment_version, arms, features, design, response, updates, data_until, learned)
            VALUES ('ctx', \(version), 1, ARRAY['a', 'b'], ARRAY['intercept', 'x', 'device=mobile'], \(identity + identity), \(a + b),
                    ARRAY[10, 10]::bigint[], now(), 20)
            """
        )
    }

    static func decide(_ client: any TestClientProtocol, unit: String, context: String) async throws -> (status: Int, body: [String: Any]) {
        try await client.post("/v1/decisions", #"{"experiment":"ctx","unit_id":"\#(unit)","context":{\#(context)}}"#)
    }

    /// Binomial tolerance: |frequency − p| within 4 standard errors over n draws.
    static func withinBinomial(_ hits: Int, _ n: Int, _ p: Double) -> Bool {
        abs(Double(hits) / Double(n) - p) <= 4 * (p * (1 - p) / Double(n)).squareRoot() + 1e-12
    }

    @Test("LinUCB (α = 0) chooses by the planted θ: x > 0 → a, x < 0 → b, a tie splits evenly; features and model version are logged")
    func linUCBFollowsContext() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec(policy: "linucb", extra: "alpha: 0"))
            // θ_a = (0, 1, 0), θ_b = (0, −1, 0): score_a = x, score_b = −x.
            try Self.plant(fixture.connection(), a: [0, 1, 0], b: [0, -1, 0])
            let tiesToA = try await fixture.test { client in
                let positive = try await Self.decide(client, unit: "u1", context: #""x":2,"device":"mobile""#)
                #expect(positive.status == 200)
                #expect(positive.body["arm"] as? String == "a")
                #expect(positive.body["propensity"] as? Double == 1)
                #expect(positive.body["features"] as? [Double] == [1, 2, 1])
                #expect(positive.body["model_version"] as? Int == 1)
                // The same unit with another context gets the other arm: no stickiness.
                let negative = try await Self.decide(client, unit: "u1", context: #""x":-2,"device":"desktop""#)
                #expect(negative.body["arm"] as? String == "b")
                #expect(negative.body["propensity"] as? Double == 1)
                #expect(negative.body["features"] as? [Double] == [1, -2, 0])
                // x = 0: both score 0, a tie broken uniformly, each with propensity 1/2.
                var aCount = 0
                let n = 400
                for i in 0..<n {
                    let tie = try await Self.decide(client, unit: "t\(i)", context: #""x":0,"device":"tablet""#)
                    #expect(tie.body["propensity"] as? Double == 0.5)
                    if tie.body["arm"] as? String == "a" { aCount += 1 }
                }
                #expect(Self.withinBinomial(aCount, n, 0.5), "a chosen \(aCount) of \(n) ties")
                return aCount
            }
            // Every impression carries its features and model version.
            let db = try fixture.connection()
            let stored = try await ServerFixture.eventually {
                try db.query("SELECT count(*) FROM impressions WHERE experiment = 'ctx'")[0].decode(Int.self, at: 0) == 402
            }
            #expect(stored)
            let rows = try db.query(
                "SELECT arm, features, model_version, propensity FROM impressions WHERE experiment = 'ctx' AND features[2] <> 0 ORDER BY features[2] DESC"
            )
            let logged = try rows.map { try $0.decode((String, [Double], Int64, Double).self) }
            #expect(logged.map(\.0) == ["a", "b"])
            #expect(logged.map(\.1) == [[1, 2, 1], [1, -2, 0]])
            #expect(logged.map(\.2) == [1, 1])
            #expect(logged.map(\.3) == [1, 1])
            // The dashboard draws each arm's share of the decisions: a got 1 + its ties of 402.
            let page = try await fixture.test { client in try await client.getText("/dashboard/ctx") }
            #expect(page.status == 200)
            #expect(page.text.contains("aria-label=\"traffic share over time\""))
            #expect(page.text.contains(String(format: "<td>%.1f%%</td>", Double(1 + tiesToA) / 402 * 100)), "a's share \(1 + tiesToA)/402")
        }
    }

    @Test("missing or malformed features are refused with a 400 naming the context field")
    func malformedFeatures() async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(Self.spec(policy: "linucb"))
            try await fixture.test { client in
                let cases: [(context: String, field: String)] = [
                    (#""device":"mobile""#, "context.x"),
                    (#""x":"high","device":"mobile""#, "context.x"),
                    (#""x":1"#, "context.device"),
                    (#""x":1,"device":3"#, "context.device"),
                ]
                for (context, field) in cases {
                    let answer = try await Self.decide(client, unit: "u", context: context)
                    #expect(answer.status == 400, "\(context)")
                    #expect((answer.body["error"] as? [String: Any])?["field"] as? String == field, "\(context): \(answer.body)")
                }
            }
        }
    }

    @Test("the floor mixes in uniform choice: with min_weight 0.2, P(a | x > 0) = 0.2 + 0.6·1 = 0.8, logged and observed")
    func floorPropensities() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec(policy: "linucb", extra: "alpha: 0").replacingOccurrences(of: "min_weight: 0", with: "min_weight: 0.2"))
            try Self.plant(fixture.connection(), a: [0, 1, 0], b: [0, -1, 0])
            try await fixture.test { client in
                var aCount = 0
                let n = 500
                for i in 0..<n {
                    let answer = try await Self.decide(client, unit: "f\(i)", context: #""x":1,"device":"mobile""#)
                    let arm = answer.body["arm"] as? String
                    let propensity = try #require(answer.body["propensity"] as? Double)
                    #expect(abs(propensity - (arm == "a" ? 0.8 : 0.2)) < 1e-12)
                    if arm == "a" { aCount += 1 }
                }
                #expect(Self.withinBinomial(aCount, n, 0.8), "a chosen \(aCount) of \(n)")
            }
        }
    }

    @Test("linear Thompson: each arm's empirical frequency matches its logged propensity Φ(0.6/√(2·1.09)) = 0.65777")
    func thompsonPropensities() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec(policy: "linear_thompson"))
            try Self.plant(fixture.connection(), a: [0, 1, 0], b: [0, -1, 0])
            // x = (1, 0.3, 0): score_a ~ N(0.3, 1.09), score_b ~ N(−0.3, 1.09), independent.
            let expected = 0.6577650894874223
            try await fixture.test { client in
                var aCount = 0
                let n = 800
                for i in 0..<n {
                    let answer = try await Self.decide(client, unit: "s\(i)", context: #""x":0.3,"device":"desktop""#)
                    let propensity = try #require(answer.body["propensity"] as? Double)
                    if answer.body["arm"] as? String == "a" {
                        aCount += 1
                        #expect(abs(propensity - expected) < 1e-3)
                    } else {
                        #expect(abs(propensity - (1 - expected)) < 1e-3)
                    }
                }
                #expect(Self.withinBinomial(aCount, n, expected), "a chosen \(aCount) of \(n)")
            }
        }
    }

    /// The click probability of `arm` for a mobile or desktop user: a wins on mobile (0.8 vs
    /// 0.2), b on desktop (0.7 vs 0.3); the best single arm earns 0.5 either way.
    static func truth(_ arm: String, mobile: Bool) -> Double {
        switch (arm, mobile) {
        case ("a", true): 0.8
        case ("a", false): 0.3
        case ("b", true): 0.2
        default: 0.7
        }
    }

    @Test("the model learns from logged clicks: regret per decision falls round by round; a second server serves the same version")
    func learnsOnline() async throws {
        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(Self.spec(policy: "linucb", extra: "alpha: 0.5"))
            let regrets = try await fixture.test { client in
                let db = try fixture.connection()
                var generator = TestGenerator(seed: 22)
                var regrets: [Double] = []
                var served = 0
                for round in 0..<4 {
                    var regret = 0.0
                    var expectedVersion: Int?
                    for i in 0..<100 {
                        let mobile = generator.unit() < 0.5
                        let x = generator.unit() * 2 - 1  // noise feature, no effect on the truth
                        let unit = "r\(round)-\(i)"
                        let answer = try await Self.decide(client, unit: unit, context: #""x":\#(x),"device":"\#(mobile ? "mobile" : "desktop")""#)
                        let arm = try #require(answer.body["arm"] as? String)
                        let id = try #require(answer.body["request_id"] as? String)
                        let version = answer.body["model_version"] as? Int
                        if expectedVersion == nil { expectedVersion = version }
                        #expect(version == expectedVersion)
                        regret += max(Self.truth("a", mobile: mobile), Self.truth("b", mobile: mobile)) - Self.truth(arm, mobile: mobile)
                        if generator.unit() < Self.truth(arm, mobile: mobile) {
                            let event = eventJSON(id: "c-\(unit)", request: id, unit: unit, item: "a", timestamp: isoTime(1))
                            let posted = try await client.post("/v1/events", #"{"events":[\#(event)]}"#)
                            #expect(posted.status == 202)
                        }
                    }
                    served += 100
                    regrets.append(regret / 100)
                    let total = served
                    let written = try await ServerFixture.eventually {
                        try db.query("SELECT count(*) FROM impressions WHERE experiment = 'ctx'")[0].decode(Int.self, at: 0) == total
                    }
                    #expect(written)
                    // Learn everything shown so far: now + 1h (the attribution window) puts the cut-off at now.
                    let checkpoint = try ContextualLearner(connection: db).learn("ctx", now: Date().addingTimeInterval(3600))
                    #expect(checkpoint?.version == Int64(round + 1))
                    // This round's decisions and the previous round's probes (no click: reward 0).
                    #expect((checkpoint?.learned ?? 0) >= 100)
                    // The server reloads on NOTIFY.
                    var probes = 0
                    let reloaded = try await ServerFixture.eventually {
                        probes += 1
                        return try await Self.decide(client, unit: "probe", context: #""x":0,"device":"mobile""#).body["model_version"] as? Int
                            == round + 1
                    }
                    #expect(reloaded)
                    // The probes are logged (and learned) too.
                    served += probes
                }
                return regrets
            }
            // Round 1 serves the prior: every arm ties, so the choice is uniform and the expected regret
            // per decision is ½·(½·0.6) + ½·(½·0.4) = 0.25; later rounds know the segments.
            #expect(regrets[0] > 0.12, "regret per decision by round: \(regrets)")
            #expect(regrets[3] < regrets[0] / 2, "regret per decision by round: \(regrets)")
            // A restarted server and a second one beside it load the latest checkpoint; a new
            // version reaches both through NOTIFY.
            try await fixture.test { first in
                try await fixture.test { second in
                    for client in [first, second] {
                        let answer = try await Self.decide(client, unit: "again", context: #""x":0,"device":"mobile""#)
                        #expect(answer.body["model_version"] as? Int == 4)
                        #expect(answer.body["arm"] as? String == "a")
                    }
                    let db = try fixture.connection()
                    let stored = try await ServerFixture.eventually {
                        try db.query("SELECT count(*) FROM impressions WHERE experiment = 'ctx' AND unit_id = 'again'")[0].decode(Int.self, at: 0)
                            == 2
                    }
                    #expect(stored)
                    let checkpoint = try ContextualLearner(connection: db).learn("ctx", now: Date().addingTimeInterval(3600))
                    #expect(checkpoint?.version == 5)
                    for client in [first, second] {
                        let moved = try await ServerFixture.eventually {
                            try await Self.decide(client, unit: "after", context: #""x":0,"device":"desktop""#).body["model_version"] as? Int == 5
                        }
                        #expect(moved)
                    }
                }
            }
        }
    }

}

/// A small seeded generator for the simulated users and clicks (SplitMix64).
struct TestGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
