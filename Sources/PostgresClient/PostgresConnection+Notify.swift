import CLibPQ
import Foundation

/// A NOTIFY received on a channel this connection listens to.
public struct PostgresNotification: Sendable, Hashable {
    public var channel: String
    public var payload: String
    /// The backend process that sent it.
    public var senderProcessID: Int32
}

extension PostgresConnection {
    /// Starts listening on `channel`.
    public func listen(_ channel: String) throws {
        try execute("LISTEN \(identifier: channel)")
    }

    /// Stops listening on `channel`.
    public func unlisten(_ channel: String) throws {
        try execute("UNLISTEN \(identifier: channel)")
    }

    /// Sends `payload` to the listeners of `channel` (delivered when the transaction commits).
    public func notify(_ channel: String, payload: String = "") throws {
        try execute("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Notifications that have arrived, waiting up to `timeout` seconds for the first one.
    public func waitForNotifications(timeout: Double) throws -> [PostgresNotification] {
        var received = drainNotifications()
        if !received.isEmpty { return received }
        let deadline = Date().addingTimeInterval(timeout)
        while received.isEmpty {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 3600) * 1000))
            if ready < 0 && errno != EINTR {
                throw PostgresError(kind: .client, message: "Waiting for notifications failed: \(String(cString: strerror(errno)))")
            }
            guard PQconsumeInput(handle) == 1 else { throw lostConnection(statement: nil) }
            received = drainNotifications()
        }
        return received
    }

    private func drainNotifications() -> [PostgresNotification] {
        var list: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            let value = notify.pointee
            list.append(
                PostgresNotification(
                    channel: String(cString: value.relname),
                    payload: String(cString: value.extra),
                    senderProcessID: value.be_pid
                )
            )
            PQfreemem(notify)
        }
        return list
    }
}
