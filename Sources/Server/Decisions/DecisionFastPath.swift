import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `POST /v1/decisions` on the connection's event loop when the decision can be made
/// from memory (the common case: a well-formed body, a key verified before, an arm ranked
/// from memory), and hands every other request, part by part and unchanged, to the router.
///
/// Why: through the router every request hops from the event loop to a task and back, which
/// costs more CPU than the decision itself. Answers are the router's, byte for byte but the
/// request id: the same `DecisionService` makes them, and anything unusual (a parse or
/// validation error, an unverified key, a sticky unit not in memory, an interleaved experiment,
/// a remote arm, a full impression buffer) goes to the router, which answers or refuses it.
/// Responses keep request order: a request is answered here only when the router owes no
/// response on the connection.
///
/// Graceful shutdown: Hummingbird's `HTTPConnectionStateHandler`, behind this handler, closes a
/// connection on `ChannelShouldQuiesceEvent` unless a request it has seen is in progress, and
/// a request held here is not one it has seen. So on that event a held request is handed to
/// the router first, which puts it in Hummingbird's books: it is answered, then the connection
/// closes. Answers written here are flushed before the event goes on, and no request is taken
/// afterwards.
final class DecisionFastPath: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What the fast path shares with the router's decision route.
    struct Shared: Sendable {
        let service: DecisionService
        /// Nil when the server runs without keys.
        let keys: KeyCache?
        let metrics: ServerMetrics
        let maxBodyBytes: Int
        let serverName: String
    }

    private let shared: Shared
    /// A decision request being read: its head and the body so far.
    private var held: (head: HTTPRequest, body: ByteBuffer?)?
    /// Requests handed to the router whose response has not been written to the end yet.
    private var routerResponsesOwed = 0
    private var needsFlush = false
    /// Set once the server began to shut down: every later request is the router's.
    private var isQuiescing = false
    private var dates = HTTPDateText()

    init(_ shared: Shared) {
        self.shared = shared
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if routerResponsesOwed == 0 && !isQuiescing && Self.isCandidate(head) && !Self.declaresBody(head, over: shared.maxBodyBytes) {
                held = (head, nil)
            } else {
                routerResponsesOwed += 1
                context.fireChannelRead(data)
            }
        case .body(var chunk):
            guard var request = held else { return context.fireChannelRead(data) }
            guard (request.body?.readableBytes ?? 0) + chunk.readableBytes <= shared.maxBodyBytes else {
                // Too large: the router refuses it (413) as it refuses every other.
                held = nil
                handToRouter(request, context: context)
                return context.fireChannelRead(data)
            }
            if request.body == nil {
                request.body = chunk
            } else {
                request.body?.writeBuffer(&chunk)
            }
            held = request
        case .end:
            guard let request = held else { return context.fireChannelRead(data) }
            held = nil
            if !answer(request, context: context) {
                handToRouter(request, context: context)
                context.fireChannelRead(data)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if needsFlush {
            needsFlush = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            isQuiescing = true
            if needsFlush {
                needsFlush = false
                context.flush()
            }
            if let request = held {
                held = nil
                handToRouter(request, context: context)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { routerResponsesOwed -= 1 }
        context.write(data, promise: promise)
    }

    /// A decision request on a connection that stays open (a closing one, and one expecting
    /// 100-continue, are the router's).
    static func isCandidate(_ head: HTTPRequest) -> Bool {
        guard head.method == .post, head.path == "/v1/decisions", head.headerFields[.expect] == nil else { return false }
        guard let connection = head.headerFields[.connection] else { return true }
        return !connection.lowercased().contains("close")
    }

    /// Whether Content-Length already says the body is too large: the router then refuses it
    /// (413) at once, instead of this handler waiting for bytes the client may never send.
    static func declaresBody(_ head: HTTPRequest, over limit: Int) -> Bool {
        guard let declared = head.headerFields[.contentLength] else { return false }
        return Int(declared).map { $0 > limit } ?? true
    }

    private func handToRouter(_ request: (head: HTTPRequest, body: ByteBuffer?), context: ChannelHandlerContext) {
        routerResponsesOwed += 1
        context.fireChannelRead(wrapInboundOut(.head(request.head)))
        if let body = request.body { context.fireChannelRead(wrapInboundOut(.body(body))) }
    }

    /// Writes the decision when it can be made here; false leaves the request to the router.
    private func answer(_ request: (head: HTTPRequest, body: ByteBuffer?), context: ChannelHandlerContext) -> Bool {
        let start = ContinuousClock.now
        if let keys = shared.keys, !keys.allowsFromMemory(request.head.headerFields[.authorization], needed: .decide) {
            return false
        }
        guard let body = request.body, let decisionRequest = DecisionRequestParser.parse(body),
            let decision = (try? shared.service.decideImmediately(decisionRequest)) ?? nil
        else { return false }
        let json = decision.json()
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(json.readableBytes)
        fields[.date] = dates.now()
        fields[.server] = shared.serverName
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .ok, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(json)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        needsFlush = true
        let elapsed = ContinuousClock.now - start
        shared.metrics.decisionsOnEventLoop.add(1, ordering: .relaxed)
        shared.metrics.requests.record(
            .init(method: "POST", route: "/v1/decisions", status: 200),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
        return true
    }
}

/// The HTTP Date header's text (RFC 9110 IMF-fixdate), formatted once per second.
struct HTTPDateText {
    private var second = 0
    private var text = ""

    mutating func now() -> String {
        var clock = time(nil)
        guard clock != second else { return text }
        second = clock
        var parts = tm()
        gmtime_r(&clock, &parts)
        var bytes = [CChar](repeating: 0, count: 40)
        let count = strftime(&bytes, bytes.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        text = String(decoding: bytes.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text
    }
}
