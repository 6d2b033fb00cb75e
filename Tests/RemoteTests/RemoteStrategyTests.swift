import Foundation
import Remote
import Strategies
import Testing

/// The remote strategy against a real HTTP model server on loopback. The server is outside
/// the project (a stand-in for a model served elsewhere): Python's http.server, which
/// answers /good with a fixed list, /slow after 2 s, /broken with malformed JSON, and
/// /barrier only once `barrierParties` requests are waiting at the same time (else 503 after 20 s).
/// Its listen backlog holds every party, so no connection waits on a SYN retransmission.
@Suite(.serialized) struct RemoteStrategyTests {
    static let server = """
        import http.server, json, sys, threading, time
        barrier = threading.Barrier(int(sys.argv[2]))
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                if self.path == '/slow': time.sleep(2)
                if self.path == '/barrier':
                    try: barrier.wait(timeout=20)
                    except threading.BrokenBarrierError:
                        self.send_response(503); self.send_header('Content-Length', '0'); self.end_headers(); return
                payload = b'{"items": [' if self.path == '/broken' else json.dumps({"items": [
                    {"item_id": "r1", "score": 3.0}, {"item_id": "r2", "score": 2.0}, {"item_id": "r3", "score": 1.0}],
                    "echo": body}).encode()
                self.send_response(200); self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(payload))); self.end_headers(); self.wfile.write(payload)
        http.server.ThreadingHTTPServer.request_queue_size = 128
        s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        open(sys.argv[1] + '.tmp', 'w').write(str(s.server_address[1]))
        __import__('os').rename(sys.argv[1] + '.tmp', sys.argv[1])
        s.serve_forever()
        """

    /// Starts the server and returns its process and port. The port comes back through a
    /// file the server writes once it listens (renamed into place, so it is never half written).
    func startServer() throws -> (Process, Int) {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("model-server-\(UUID().uuidString).py")
        let portFile = script.path + ".port"
        try Self.server.write(to: script, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, portFile, "\(Self.barrierParties)"]
        // Neither stream may be the test runner's: a server still holding its pipe would keep
        // `swift test` waiting for end-of-file after every test has finished.
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

    /// Many more asks than the test's executor has threads (two).
    static let barrierParties = 16

    func fittedFallback() throws -> any RecommendationStrategy {
        let fallback = try StrategyRegistry.make(name: "popularity")
        // Item "local" is the most popular: the fallback ranks it first.
        let interactions =
            (0..<5).map { Interaction(unit: "u\($0)", item: "local", time: Double($0)) } + [Interaction(unit: "u9", item: "other", time: 9)]
        try fallback.fit(interactions, catalogue: ItemCatalogue(ids: ["local", "other"]))
        return fallback
    }

    @Test
    func theEndpointAnswersAndFailuresFallBack() throws {
        let (process, port) = try startServer()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(port > 0)
        let request = RecommendationRequest(unit: "u1", recentItems: ["a"], excludedItems: ["r2"], k: 2)

        let good = RemoteStrategy(url: URL(string: "http://127.0.0.1:\(port)/good")!, timeout: 1, fallback: try fittedFallback())
        // r2 is excluded by the request, so the endpoint's r1 and r3 come back, best first.
        #expect(good.recommend(request).map(\.item) == ["r1", "r3"])
        #expect(good.counts == (1, 0))

        let slow = RemoteStrategy(url: URL(string: "http://127.0.0.1:\(port)/slow")!, timeout: 0.1, fallback: try fittedFallback())
        // The answer comes after 2 s, the timeout is 0.1 s: the fallback answers, and the
        // endpoint's (valid) late answer is not used.
        #expect(slow.recommend(request).first?.item == "local")
        #expect(slow.counts == (0, 1))

        let broken = RemoteStrategy(url: URL(string: "http://127.0.0.1:\(port)/broken")!, timeout: 1, fallback: try fittedFallback())
        #expect(broken.recommend(request).first?.item == "local")

        let refused = RemoteStrategy(url: URL(string: "http://127.0.0.1:1/none")!, timeout: 1, fallback: try fittedFallback())
        #expect(refused.recommend(request).first?.item == "local")
    }

    @Test func parametersAreValidatedLikeEveryStrategy() {
        #expect(throws: StrategyError.missingParameter(strategy: "remote", parameter: "url")) {
            try RemoteStrategy.make(parameters: [:])
        }
        #expect(
            throws: StrategyError.invalidParameter(strategy: "remote", parameter: "url", value: "ftp://x", expected: "an http:// or https:// URL")
        ) {
            try RemoteStrategy.make(parameters: ["url": "ftp://x"])
        }
        #expect(
            throws: StrategyError.invalidParameter(strategy: "remote", parameter: "timeout_ms", value: "0", expected: "an integer from 1 to 10000")
        ) {
            try RemoteStrategy.make(parameters: ["url": "http://h/x", "timeout_ms": "0"])
        }
        #expect((try? RemoteStrategy.make(parameters: ["url": "http://h/x", "fallback": "markov"]))?.fallback.name == "markov")
    }

    /// The suspending path holds no thread while it waits: `barrierParties` concurrent asks run
    /// on an executor with two threads of its own, and must all be in flight at once for the
    /// endpoint to answer any of them. Had each ask blocked its thread, at most two would reach
    /// the endpoint, its barrier would break, and every ask would fall back. (The shared
    /// cooperative pool is not used: other suites' blocking calls can stall it for longer than
    /// the barrier waits, which once broke this test in CI.)
    @Test
    func suspendingAsksHoldNoThreadWhileTheyWait() async throws {
        let (process, port) = try startServer()
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(port > 0)
        let strategy = RemoteStrategy(url: URL(string: "http://127.0.0.1:\(port)/barrier")!, timeout: 30, fallback: try fittedFallback())
        let request = RecommendationRequest(unit: "u1", recentItems: [], excludedItems: [], k: 1)
        let executor = DedicatedThreadsExecutor(threads: 2)
        defer { executor.shutdown() }
        let firsts = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<Self.barrierParties {
                group.addTask(executorPreference: executor) { await strategy.recommendSuspending(request).first?.item }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(firsts == Array(repeating: "r1", count: Self.barrierParties))
        #expect(strategy.counts == (Self.barrierParties, 0))

        let slow = RemoteStrategy(url: URL(string: "http://127.0.0.1:\(port)/slow")!, timeout: 0.1, fallback: try fittedFallback())
        // The timeout resumes the caller with the fallback's answer before the endpoint's.
        #expect(await slow.recommendSuspending(request).first?.item == "local")
        #expect(slow.counts == (0, 1))
    }
}
