import Foundation
import Storage

/// Headless Chromium (the Debian package `chromium`, installed by scripts/deps.sh) loading a
/// page as a user's browser would: the DOM after load, a screenshot, every console message
/// the page produced, and every request the page itself started (from Chromium's net log).
struct HeadlessChromium {
    let executable: String

    /// What one page load showed.
    struct Visit {
        /// The serialised DOM after load (`--dump-dom`).
        var dom: String
        /// Console lines the page produced (uncaught errors, console.*, CSP violations):
        /// Chromium logs each as `…:CONSOLE(…)] "message", source: URL` with --enable-logging.
        var consoleMessages: [String]
        /// URLs the page requested itself (net log requests whose initiator is an origin),
        /// as opposed to the navigation and Chromium's own background traffic.
        var pageRequests: [String]
        /// URLs loaded as the main frame (the navigation itself).
        var navigations: [String]
    }

    /// Finds Chromium, or fails with what to run: the browser test must never skip silently.
    static func locate() throws -> HeadlessChromium {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").flatMap { ["\($0)/chromium", "\($0)/chromium-browser"] } + ["/usr/bin/chromium"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BrowserError(
                "Chromium is not installed, so the dashboard cannot be checked in a browser: run scripts/deps.sh (it installs the Debian package chromium)"
            )
        }
        return HeadlessChromium(executable: found)
    }

    /// Chromium flags that leave it no network: every host name fails to resolve, and every
    /// request, loopback included, goes to a proxy on a closed port. A page that fetches
    /// anything still shows the attempt in the net log.
    static let offline = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]

    /// Loads `url` and reports its DOM, console messages and requests; `offline` cuts the
    /// browser off the network first (for files, which need none).
    func visit(_ url: String, offline: Bool = false) async throws -> Visit {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let netLog = folder.appendingPathComponent("net.json")
        let output = try await run(
            folder: folder,
            (offline ? Self.offline : []) + ["--enable-logging=stderr", "--v=0", "--log-net-log=\(netLog.path)", "--dump-dom", url]
        )
        guard output.status == 0, !output.standardOutput.isEmpty else {
            throw BrowserError("chromium --dump-dom \(url) failed with status \(output.status): \(output.standardError.suffix(2000))")
        }
        let console = output.standardError.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        let (pageRequests, navigations) = try Self.requests(inNetLog: netLog)
        return Visit(dom: output.standardOutput, consoleMessages: console, pageRequests: pageRequests, navigations: navigations)
    }

    /// Saves a PNG of `url` rendered in a 1200×900 window and returns its bytes.
    func screenshot(_ url: String, offline: Bool = false) async throws -> Data {
        let folder = try Self.scratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("page.png")
        let output = try await run(folder: folder, (offline ? Self.offline : []) + ["--screenshot=\(file.path)", "--window-size=1200,900", url])
        guard output.status == 0, let data = try? Data(contentsOf: file) else {
            throw BrowserError("chromium --screenshot \(url) wrote no PNG (status \(output.status)): \(output.standardError.suffix(2000))")
        }
        return data
    }

    /// Runs Chromium with a profile of its own (parallel runs must not share one) on a
    /// thread outside Swift's cooperative pool, since the process call blocks.
    private func run(folder: URL, _ arguments: [String]) async throws -> ProcessRunner.Output {
        let base = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
        ]
        let executable = executable
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try ProcessRunner.run(executable, base + arguments) })
            }.start()
        }
    }

    private static func scratchFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-chromium-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Requests in a Chromium net log: URL_REQUEST_START_JOB events carry the URL and the
    /// initiator; Chromium's own traffic and navigations say "not an origin", a page's
    /// subresources name the page's origin ("null" for file://).
    static func requests(inNetLog file: URL) throws -> (page: [String], navigations: [String]) {
        guard let log = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any],
            let constants = log["constants"] as? [String: Any], let types = constants["logEventTypes"] as? [String: Int],
            let startJob = types["URL_REQUEST_START_JOB"], let events = log["events"] as? [[String: Any]]
        else { throw BrowserError("\(file.path) is not a Chromium net log") }
        var page: [String] = []
        var navigations: [String] = []
        for event in events where event["type"] as? Int == startJob {
            guard let parameters = event["params"] as? [String: Any], let url = parameters["url"] as? String else { continue }
            if parameters["request_type"] as? String == "main frame" {
                navigations.append(url)
            } else if let initiator = parameters["initiator"] as? String, initiator != "not an origin" {
                page.append(url)
            }
        }
        return (page, navigations)
    }
}

/// Why the browser check could not run, as a sentence.
struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The visible text of an HTML fragment: inline tags vanish, other tags become spaces,
/// entities are decoded and whitespace runs collapse, so "<td><b>a</b>:</td><td>1</td>"
/// reads "a: 1".
func visibleText(_ html: String) -> String {
    let noStyle = html.replacing(/<style[^>]*>[^<]*<\/style>/, with: " ")
    let noInline = noStyle.replacing(/<\/?(a|b|i|em|strong|span|small|code)(\s[^>]*)?>/, with: "")
    let noTags = noInline.replacing(/<[^>]*>/, with: " ")
    let decoded = noTags.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
}
