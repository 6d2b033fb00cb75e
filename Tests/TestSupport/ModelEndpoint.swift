import Foundation

/// A model served elsewhere, stood in for by Python's http.server on a loopback port: it is
/// outside the project, so tests of remote arms may use it. Routes (POST, any JSON body):
/// `/good` answers r1, r2, r3 with scores 3, 2, 1; `/slow` the same after 2 s; `/broken` a
/// malformed body; `/barrier` the same as `/good`, but only once `parties` requests wait at
/// the same time (else 503 after `barrierTimeout` seconds).
public final class ModelEndpoint: @unchecked Sendable {
    static let script = """
        import http.server, json, sys, threading, time
        barrier = threading.Barrier(int(sys.argv[2]))
        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a): pass
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))
                if self.path == '/slow': time.sleep(2)
                if self.path == '/barrier':
                    try: barrier.wait(timeout=float(sys.argv[3]))
                    except threading.BrokenBarrierError:
                        self.send_response(503); self.send_header('Content-Length', '0'); self.end_headers(); return
                payload = b'{"items": [' if self.path == '/broken' else json.dumps({"items": [
                    {"item_id": "r1", "score": 3.0}, {"item_id": "r2", "score": 2.0}, {"item_id": "r3", "score": 1.0}],
                    "echo": body}).encode()
                self.send_response(200); self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(payload))); self.end_headers(); self.wfile.write(payload)
        # A listen backlog for every party: no connection waits on a SYN retransmission.
        http.server.ThreadingHTTPServer.request_queue_size = 128
        s = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        open(sys.argv[1] + '.tmp', 'w').write(str(s.server_address[1]))
        __import__('os').rename(sys.argv[1] + '.tmp', sys.argv[1])
        s.serve_forever()
        """

    private let process = Process()
    /// The loopback port it listens on; 0 when it did not start within 20 s.
    public private(set) var port = 0

    /// Starts the endpoint; its port comes back through a file renamed into place, so it is
    /// never read half written.
    public init(parties: Int = 16, barrierTimeout: Double = 20) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("model-endpoint-\(UUID().uuidString).py")
        let portFile = file.path + ".port"
        try Self.script.write(to: file, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", file.path, portFile, "\(parties)", "\(barrierTimeout)"]
        // Neither stream may be the test runner's: an endpoint still holding its pipe would
        // keep `swift test` waiting for end-of-file after every test has finished.
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) {
                self.port = port
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// The URL of `route` ("/good", "/barrier", …).
    public func url(_ route: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(route)")!
    }

    /// Kills the endpoint and waits for it.
    public func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
