import Foundation

/// One HTTP/1.1 connection on a plain socket, for what a client library hides: several
/// requests written at once (pipelined) and the responses read back in the order they come.
/// The blocking socket calls (`RawHTTPSocket`) run on a thread of their own, never on the
/// cooperative pool.
enum RawHTTPConnection {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A request's bytes: method, path, extra header lines and a JSON body.
    static func request(_ method: String, _ path: String, body: String = "", headers: [String] = []) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in headers { text += header + "\r\n" }
        if !body.isEmpty || method == "POST" { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + body
    }

    /// Writes `requests` in one send on a new connection to 127.0.0.1:`port` and reads
    /// `count` responses (each delimited by its Content-Length); gives up after 20 s.
    static func exchange(port: Int, _ requests: [String], count: Int) async throws -> [Response] {
        try await RawHTTPSocket.onThread {
            let socket = try RawHTTPSocket(port: port)
            try socket.send(requests.joined())
            var responses: [Response] = []
            while responses.count < count {
                do {
                    responses.append(try socket.response())
                } catch {
                    throw Failure(description: "after \(responses.count) of \(count) responses: \(error)")
                }
            }
            return responses
        }
    }

    /// The first whole response in `data` and how many bytes it took; nil while incomplete.
    static func parse(_ data: Data) -> (Response, Int)? {
        guard let end = data.range(of: Data("\r\n\r\n".utf8)) else { return nil }
        let lines = String(decoding: data[data.startIndex..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end.upperBound
        guard data.endIndex - bodyStart >= length else { return nil }
        let body = Data(data[bodyStart..<(bodyStart + length)])
        return (Response(status: status, headers: headers, body: body), bodyStart + length - data.startIndex)
    }
}
