import Foundation
import Metrics
import Spec
import Stats
import Storage
import Strategies
import Testing

@testable import Server

/// Decisions of an interleaving experiment over HTTP: every arm's own strategy ranks, the lists
/// are merged by Team-Draft seeded from the request id, each item carries its team, and the
/// impression is logged with the teams, arm "interleaved" and propensity 1.
@Suite("Interleaved decisions")
struct InterleavingDecisionTests {
    static let spec = """
        name: duel
        type: interleaving
        status: running
        traffic: 0.8
        arms:
          - {key: pop, strategy: popularity}
          - {key: recent, strategy: popularity, params: {half_life_hours: 240}}
        metrics:
          primary: ctr
        """

    /// One answer, flattened to Sendable text.
    struct Answer: Sendable {
        var requestID: String
        var arm: String
        var propensity: Double
        var reason: String?
        var items: [String]
        var teams: [String?]
    }

    /// Interactions a×3, b×2, c×1 and the item d (no interactions) in PostgreSQL, which the arm
    /// `recent` is fitted from; the arm `pop` serves a saved model that learned z×10, y×5, a×1.
    static func seed(_ fixture: ServerFixture) throws {
        try DecisionsTests.seedItems(fixture)
        let saved = try StrategyRegistry.make(name: "popularity")
        let now = Date().timeIntervalSince1970
        let history = [("z", 10), ("y", 5), ("a", 1)].flatMap { item, count in
            (0..<count).map { Interaction(unit: "m\($0)", item: item, time: now - 60) }
        }
        try saved.fit(history, catalogue: ItemCatalogue(items: ["z", "y", "a"].map { CatalogueItem(id: $0) }))
        _ = try ModelDirectory(explicit: fixture.modelsDirectory.path).write(try saved.save(fittedAt: now), experiment: "duel", arm: "pop")
    }

    @Test("each list is Team-Draft of the arms' rankings under the request id's seed, teams are answered and logged")
    func mergesAndLogs() async throws {
        try await ServerFixture.with { fixture in
            try Self.seed(fixture)
            let spec = try fixture.apply(Self.spec)
            let assigner = try DecisionsTests.expectedAssigner(spec, fixture: fixture)
            let units = (0..<30).map { "unit-\($0)" }
            let answers = try await fixture.test { client in
                var answers: [Answer] = []
                for unit in units {
                    let answer = try await client.post("/v1/decisions", #"{"experiment":"duel","unit_id":"\#(unit)","k":4}"#)
                    #expect(answer.status == 200)
                    let items = answer.body["items"] as? [[String: Any]] ?? []
                    answers.append(
                        Answer(
                            requestID: answer.body["request_id"] as? String ?? "",
                            arm: answer.body["arm"] as? String ?? "",
                            propensity: answer.body["propensity"] as? Double ?? -1,
                            reason: answer.body["reason"] as? String,
                            items: items.compactMap { $0["item_id"] as? String },
                            teams: items.map { $0["team"] as? String }
                        )
                    )
                }
                return answers
            }
            // The arms' own rankings of 4 items. pop: its saved model knows z 10, y 5, a 1, and the
            // fourth item is filled from all-time popularity in PostgreSQL (b 2, above c 1 and d 0).
            // recent: fitted from PostgreSQL, a 3, b 2, c 1, d 0.
            let rankings = [["z", "y", "a", "b"], ["a", "b", "c", "d"]]
            var interleaved = 0
            for (unit, answer) in zip(units, answers) {
                let assignment = assigner.assign(unit: unit)
                guard assignment.arm != nil else {
                    // Outside the 80% traffic: the fallback (first) arm's own list, without teams.
                    #expect(answer.arm == "pop", "unit \(unit)")
                    #expect(answer.reason == "not_in_traffic")
                    #expect(answer.items == rankings[0])
                    #expect(answer.teams == [nil, nil, nil, nil])
                    continue
                }
                interleaved += 1
                #expect(answer.arm == "interleaved")
                #expect(answer.propensity == 1)
                #expect(answer.reason == nil)
                let requestID = try #require(UUID(uuidString: answer.requestID))
                var generator = SplitMix64(seed: InterleavingMerge.seed(for: requestID))
                let expected = TeamDraft.interleave(rankings[0], rankings[1], length: 4, using: &generator)
                #expect(answer.items == expected.items, "unit \(unit)")
                #expect(answer.teams == expected.contributingArms.map { ["pop", "recent"][$0] }, "unit \(unit)")
            }
            #expect(interleaved >= 15 && interleaved < units.count, "30 units should fall both inside and outside the 80% traffic")

            let db = try fixture.connection()
            #expect(try await ServerFixture.eventually { try db.query("SELECT count(*) FROM impressions")[0].decode(Int.self, at: 0) == units.count })
            for answer in answers {
                let row = try #require(
                    try db.query("SELECT arm, propensity, item_ids, teams FROM impressions WHERE request_id = \(answer.requestID)::uuid").first
                )
                let (arm, propensity, items, teams) = try row.decode((String, Double, [String], [String]?).self)
                #expect(arm == answer.arm)
                #expect(propensity == answer.propensity)
                #expect(items == answer.items)
                #expect(teams == (answer.arm == "interleaved" ? answer.teams.compactMap { $0 } : nil))
            }
        }
    }

    @Test func theSeedIsTheRequestIdsHalvesExclusiveOred() throws {
        // 00000000-0000-0001-0000-000000000003: high half 1, low half 3 → 1 ^ 3 = 2.
        let id = try #require(UUID(uuidString: "00000000-0000-0001-0000-000000000003"))
        #expect(InterleavingMerge.seed(for: id) == 2)
        let other = try #require(UUID(uuidString: "ffffffff-ffff-ffff-0000-000000000000"))
        #expect(InterleavingMerge.seed(for: other) == UInt64.max)
    }

    @Test func eachItemKeepsItsOwnArmsScore() {
        // Two arms rank the same items with different scores; whichever team shows an item, the
        // answered score is that team's.
        let picks = InterleavingMerge.merge(
            rankings: [[("a", 9), ("b", 8)], [("b", 0.5), ("a", 0.4)]],
            arms: ["left", "right"],
            k: 2,
            requestID: UUID()
        )
        let scores = ["left": ["a": 9.0, "b": 8.0], "right": ["b": 0.5, "a": 0.4]]
        #expect(picks.count == 2)
        for pick in picks { #expect(pick.score == scores[pick.team]?[pick.itemID]) }
    }
}
