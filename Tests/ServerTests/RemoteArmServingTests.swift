import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// An arm served by a remote model: the decision service awaits the endpoint without holding
/// a thread. The endpoint is outside the project (a stand-in for a model served elsewhere):
/// Python's http.server, answering only once `parties` requests wait at the same time.
@Suite("Arms served by a remote model", .serialized)
struct RemoteArmServingTests {
    /// More concurrent decisions than the cooperative pool has threads (one per core).
    static let parties = max(16, ProcessInfo.processInfo.activeProcessorCount * 2)

    static let endpoint = """
        import http.server, json, sys, threading
        barrier = threading.Barrier(int(sys.argv[2]))
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_POST(self):
                self.rfile.read(int(self.headers['Content-Length']))
                try: barrier.wait(timeout=9)
                except threading.BrokenBarrierError:
                    self.send_response(503); self.send_header('Content-Length', '0'); self.end_headers(); return
                payload = json.dumps({"items": [{"item_id": "r1", "score": 2.0}, {"item_id": "r2", "score": 1.0}]}).encode()
                self.send_response(200); self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(payload))); self.end_headers(); self.wfile.write(payload)
        http.server.ThreadingHTTPServer.request_queue_size = 128
        s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        open(sys.argv[1] + '.tmp', 'w').write(str(s.server_address[1]))
        __import__('os').rename(sys.argv[1] + '.tmp', sys.argv[1])
        s.serve_forever()
        """

    /// Starts the endpoint; its port comes back through a file renamed into place.
    static func startEndpoint() throws -> (Process, Int) {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("remote-arm-\(UUID().uuidString).py")
        let portFile = script.path + ".port"
        try endpoint.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, portFile, "\(parties)"]
        // No inherited pipes: a survivor holding one would keep `swift test` waiting.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) { return (process, port) }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (process, 0)
    }

    /// Had the service blocked a thread per waiting decision, at most one per core would reach
    /// the endpoint, its barrier would break after 9 s, and every decision would be served by
    /// the fallback (which knows no items in this empty database, so the list would be empty).
    @Test("concurrent decisions for a remote arm all wait on the endpoint at once and get its items")
    func remoteArmsAreAwaited() async throws {
        let (endpoint, endpointPort) = try Self.startEndpoint()
        defer {
            kill(endpoint.processIdentifier, SIGKILL)
            endpoint.waitUntilExit()
        }
        #expect(endpointPort > 0)
        try await ServerFixture.with { fixture in
            let url = "http://127.0.0.1:\(endpointPort)/rank"
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
