import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An arm served by a remote model: the decision service awaits the endpoint without holding
/// a thread. The endpoint is `ModelEndpoint` (outside the project, a stand-in for a model
/// served elsewhere), whose /barrier answers only once `parties` requests wait at the same time.
@Suite("Arms served by a remote model", .serialized)
struct RemoteArmServingTests {
    /// Many more concurrent decisions than the server's executor has threads (two).
    static let parties = 16

    /// The server and its clients run on an executor with two threads of its own. Had the
    /// service blocked a thread per waiting decision, at most two would reach the endpoint, its
    /// barrier would break after 9 s, and every decision would be served by the fallback (which
    /// knows no items in this empty database, so the list would be empty). The shared
    /// cooperative pool is not used: other suites' blocking calls can stall it for longer.
    @Test("concurrent decisions for a remote arm all wait on the endpoint at once and get its items")
    func remoteArmsAreAwaited() async throws {
        let endpoint = try ModelEndpoint(parties: Self.parties, barrierTimeout: 9)
        defer { endpoint.stop() }
        #expect(endpoint.port > 0)
        try await ServerFixture.with { fixture in
            let url = endpoint.url("/barrier").absoluteString
            _ = try fixture.apply(
                """
                name: remote-serving
                status: running
                sticky: false
                arms:
                  - {key: a, strategy: remote, params: {url: "\(url)", timeout_ms: 10000}, control: true, weight: 0.5}
                  - {key: b, strategy: remote, params: {url: "\(url)", timeout_ms: 9900}, weight: 0.5}
                metrics:
                  primary: ctr
                """
            )
            let executor = DedicatedThreadsExecutor(threads: 2)
            defer { executor.shutdown() }
            try await withTaskExecutorPreference(executor) {
                try await fixture.test { client in
                    let port = try #require(client.port)
                    let configuration = URLSessionConfiguration.ephemeral
                    configuration.httpMaximumConnectionsPerHost = Self.parties * 2
                    let session = URLSession(configuration: configuration)
                    let lists = try await withThrowingTaskGroup(of: [String].self) { group in
                        for n in 0..<Self.parties {
                            group.addTask {
                                var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/decisions")!, timeoutInterval: 30)
                                request.httpMethod = "POST"
                                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                                request.httpBody = Data(#"{"experiment":"remote-serving","unit_id":"u\#(n)","k":2}"#.utf8)
                                let (data, _) = try await session.data(for: request)
                                let body = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
                                return (body["items"] as? [[String: Any]] ?? []).compactMap { $0["item_id"] as? String }
                            }
                        }
                        return try await group.reduce(into: [[String]]()) { $0.append($1) }
                    }
                    #expect(lists == Array(repeating: ["r1", "r2"], count: Self.parties))
                }
            }
        }
    }
}
