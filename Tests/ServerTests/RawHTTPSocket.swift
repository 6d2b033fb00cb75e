import Foundation

/// A client connection kept open across the steps of a test: write some bytes, read a
/// response, write more, and learn whether the server then closed the connection. Every call
/// blocks (a receive gives up after 20 s), so run them on a thread of their own (`onThread`).
final class RawHTTPSocket: @unchecked Sendable {
    private let descriptor: Int32
    /// Bytes read but not yet parsed into a response.
    private var received = Data()

    /// Connects to 127.0.0.1:`port`.
    init(port: Int) throws {
        descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPConnection.Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw RawHTTPConnection.Failure(description: "connect() to port \(port) failed")
        }
    }

    deinit { close(descriptor) }

    /// Writes `text` in one send.
    func send(_ text: String) throws {
        let bytes = Data(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawHTTPConnection.Failure(description: "send() wrote \(sent) of \(bytes.count) bytes") }
    }

    /// The next whole response; throws when the connection ends (or 20 s pass) before it.
    func response() throws -> RawHTTPConnection.Response {
        while true {
            if let (response, used) = RawHTTPConnection.parse(received) {
                received.removeFirst(used)
                return response
            }
            guard try receive() else { throw RawHTTPConnection.Failure(description: "the connection ended before a whole response") }
        }
    }

    /// Whether the server closed the connection with no further bytes; false when bytes
    /// arrive first, throws when nothing happens for 20 s.
    func isClosedByServer() throws -> Bool {
        guard received.isEmpty else { return false }
        return try !receive()
    }

    /// Reads what is there into `received`; false at the end of the stream.
    private func receive() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let read = recv(descriptor, &chunk, chunk.count, 0)
        if read < 0 && errno == ECONNRESET { return false }
        guard read >= 0 else { throw RawHTTPConnection.Failure(description: "recv() failed or timed out (errno \(errno))") }
        received.append(contentsOf: chunk[0..<read])
        return read > 0
    }

    /// Runs blocking socket calls on a new thread, off the cooperative pool.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }
}
