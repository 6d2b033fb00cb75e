import Foundation
import PostgresTestSupport
import Testing

/// docs/openapi.json describes the service as built: served unchanged at /openapi.json, every
/// route registered in Sources/Server documented, and real answers carrying exactly the
/// documented fields (required ones always; none undocumented).
@Suite("OpenAPI document")
struct OpenAPITests {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Properties and required fields of schema `name` in the document.
    static func schema(_ document: [String: Any], _ name: String) throws -> (properties: Set<String>, required: Set<String>) {
        let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let schema = try #require(schemas[name] as? [String: Any])
        return (Set((schema["properties"] as? [String: Any] ?? [:]).keys), Set(schema["required"] as? [String] ?? []))
    }

    /// Every route registered with `routes.get/post("…")` in Sources/Server, as "METHOD /path"
    /// with Hummingbird's `:name` written the OpenAPI way `{name}`.
    static func registeredRoutes() throws -> Set<String> {
        let folder = TestDatabase.repositoryRoot.appendingPathComponent("Sources/Server")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        let pattern = try Regex(#"routes\.(get|post|put|delete|patch)\("([^"]+)"\)"#)
        var routes = Set<String>()
        for case let file as URL in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: pattern) {
                let method = String(match.output[1].substring ?? "").uppercased()
                let path = String(match.output[2].substring ?? "").split(separator: "/").map {
                    $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0)
                }
                routes.insert("\(method) /" + path.joined(separator: "/"))
            }
        }
        return routes
    }

    @Test("the served document equals docs/openapi.json and covers every registered route and answer field")
    func documentMatchesTheCode() async throws {
        let committed = try String(contentsOf: TestDatabase.repositoryRoot.appendingPathComponent("docs/openapi.json"), encoding: .utf8)
        let document = try Self.object(committed)
        #expect(document["openapi"] as? String == "3.1.0")
        var documented = Set<String>()
        for (path, operations) in document["paths"] as? [String: Any] ?? [:] {
            for method in (operations as? [String: Any] ?? [:]).keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let registered = try Self.registeredRoutes()
        #expect(registered.count >= 8, "the route scan found \(registered)")
        #expect(
            registered == documented,
            "in code only: \(registered.subtracting(documented)); in the document only: \(documented.subtracting(registered))"
        )

        try await ServerFixture.with { fixture in
            try DecisionsTests.seedItems(fixture)
            _ = try fixture.apply(DecisionsTests.spec)
            let (served, decision, receipt, health) = try await fixture.test { client in
                let served = try await client.getText("/openapi.json")
                #expect(served.status == 200)
                let decision = try await client.post("/v1/decisions", #"{"experiment":"server-test","unit_id":"u1","k":2}"#)
                let request = try #require(decision.body["request_id"] as? String)
                let batch = #"{"events":[\#(eventJSON(id: "ok", request: request, timestamp: isoTime(-5))),{"event_id":"bad"}]}"#
                let receipt = try await client.post("/v1/events", batch)
                let health = try await client.getText("/healthz")
                // Flattened to Sendable text: the JSON bodies re-encoded.
                func text(_ body: [String: Any]) -> String {
                    String(decoding: (try? JSONSerialization.data(withJSONObject: body)) ?? Data(), as: UTF8.self)
                }
                return (served.text, text(decision.body), text(receipt.body), health.text)
            }
            #expect(NSDictionary(dictionary: try Self.object(served)) == NSDictionary(dictionary: document))
            for (name, body) in [("Decision", decision), ("Receipt", receipt), ("Health", health)] {
                let keys = Set(try Self.object(body).keys)
                let schema = try Self.schema(document, name)
                #expect(schema.required.isSubset(of: keys), "\(name) lacks \(schema.required.subtracting(keys))")
                #expect(keys.isSubset(of: schema.properties), "\(name) has undocumented \(keys.subtracting(schema.properties))")
            }
            let item = try #require((try Self.object(decision)["items"] as? [[String: Any]])?.first)
            #expect(Set(item.keys).isSubset(of: try Self.schema(document, "DecisionItem").properties))
            let problem = try #require((try Self.object(receipt)["errors"] as? [[String: Any]])?.first)
            #expect(Set(problem.keys).isSubset(of: try Self.schema(document, "EventProblem").properties))
        }
    }
}
