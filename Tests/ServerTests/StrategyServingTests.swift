import Engine
import Foundation
import Spec
import Storage
import Strategies
import Testing

/// Each arm is ranked by its own strategy: the model `abctl train` saved for it, else one
/// fitted at start from the interactions and feedback in PostgreSQL; accepted feedback
/// reaches the strategies online.
@Suite("Arms served by their strategies")
struct StrategyServingTests {
    static let spec = """
        name: serving
        status: running
        sticky: false
        arms:
          - {key: control, strategy: popularity, control: true, weight: 0.5}
          - {key: treatment, strategy: popularity, params: {half_life_hours: 240}, weight: 0.5}
        metrics:
          primary: ctr
        """

    /// The item ids of a decision, in order.
    static func items(_ body: [String: Any]) -> [String] {
        (body["items"] as? [[String: Any]] ?? []).compactMap { $0["item_id"] as? String }
    }

    @Test("a saved model serves its arm, an arm without one is fitted from interactions and feedback, and events change both online")
    func modelsFitsAndOnlineUpdates() async throws {
        try await ServerFixture.with { fixture in
            let db = try fixture.connection()
            // In PostgreSQL: interactions a×3, b×2, c×1, and feedback already logged on d×5.
            for (item, count) in [("a", 3), ("b", 2), ("c", 1)] {
                for n in 0..<count {
                    try db.execute(
                        "INSERT INTO interactions (unit_id, item_id, event_type, occurred_at) VALUES (\("x\(n)"), \(item), 'click', now())"
                    )
                }
            }
            for n in 0..<5 {
                try db.execute(
                    """
                    INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, created_at)
                    VALUES (\("pre-\(n)"), gen_random_uuid(), \("y\(n)"), 'd', 'click', now() - interval '1 minute')
                    """
                )
            }
            // The control's saved model learned other data: z×10, a×1 (so it knows nothing of b, c, d).
            let saved = try StrategyRegistry.make(name: "popularity")
            let now = Date().timeIntervalSince1970
            let history =
                (0..<10).map { Interaction(unit: "m\($0)", item: "z", time: now - 60) } + [Interaction(unit: "m0", item: "a", time: now - 60)]
            try saved.fit(history, catalogue: ItemCatalogue(items: [CatalogueItem(id: "z"), CatalogueItem(id: "a")]))
            _ = try ModelDirectory(explicit: fixture.modelsDirectory.path).write(try saved.save(fittedAt: now), experiment: "serving", arm: "control")

            let spec = try fixture.apply(Self.spec)
            let assigner = try DecisionsTests.expectedAssigner(spec, fixture: fixture)
            let units = (0..<200).map { "u\($0)" }
            let controlUnit = try #require(units.first { assigner.assign(unit: $0).arm == "control" })
            let treatmentUnit = try #require(units.first { assigner.assign(unit: $0).arm == "treatment" })

            try await fixture.test { client in
                func top(_ unit: String) async throws -> [String] {
                    let answer = try await client.post("/v1/decisions", #"{"experiment":"serving","unit_id":"\#(unit)","k":2}"#)
                    #expect(answer.status == 200)
                    return Self.items(answer.body)
                }
                // Control: its file's counts z 10, a 1. Treatment: fitted here, d 5 (feedback), a 3.
                #expect(try await top(controlUnit) == ["z", "a"])
                #expect(try await top(treatmentUnit) == ["d", "a"])

                // 12 clicks on c: c beats z (10) in the control and d (5) in the treatment.
                let time = isoTime(-1)
                var events: [String] = []
                for n in 0..<12 {
                    let request = try await client.requestID(experiment: "serving", unit: "v\(n)")
                    events.append(eventJSON(id: "live-\(n)", request: request, unit: "v\(n)", item: "c", timestamp: time))
                }
                let batch = #"{"events":[\#(events.joined(separator: ","))]}"#
                let receipt = try await client.post("/v1/events", batch)
                #expect(receipt.status == 202)
                #expect(receipt.body["accepted"] as? Int == 12)
                // The same batch again (a client's retry) must not be learned twice: in the
                // treatment c stays at 1 + 12 = 13, below 14 new clicks on z (doubled it would be 25).
                #expect(try await client.post("/v1/events", batch).body["duplicates"] as? Int == 12)
                var zClicks: [String] = []
                for n in 0..<14 {
                    let request = try await client.requestID(experiment: "serving", unit: "w\(n)")
                    zClicks.append(eventJSON(id: "z-\(n)", request: request, unit: "w\(n)", item: "z", timestamp: time))
                }
                #expect(try await client.post("/v1/events", #"{"events":[\#(zClicks.joined(separator: ","))]}"#).status == 202)

                #expect(try await top(controlUnit) == ["z", "c"])  // z 10 + 14, c 12
                #expect(try await top(treatmentUnit) == ["z", "c"])  // z 14, c 13, d 5
            }
        }
    }
}
