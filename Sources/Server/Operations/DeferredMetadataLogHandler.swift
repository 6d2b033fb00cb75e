import Logging

/// Wraps a log handler so that setting metadata costs a dictionary write and nothing more:
/// Hummingbird tags every request's logger with `hb.request.id`, and swift-log's
/// `StreamLogHandler` re-renders all of its metadata text on each such write, which cost a
/// decision more than its ranking. The metadata set here is handed to the wrapped handler
/// only when something is logged, so the output is the same.
struct DeferredMetadataLogHandler: LogHandler {
    private var base: any LogHandler
    private var added: Logger.Metadata = [:]

    init(wrapping base: any LogHandler) {
        self.base = base
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata.merging(added) { _, new in new } }
        set {
            added = newValue
            base.metadata = [:]
        }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { added[key] ?? base[metadataKey: key] }
        set {
            added[key] = newValue
            if newValue == nil, base[metadataKey: key] != nil { base[metadataKey: key] = nil }
        }
    }

    func log(event: LogEvent) {
        var event = event
        if !added.isEmpty { event.metadata = added.merging(event.metadata ?? [:]) { _, explicit in explicit } }
        base.log(event: event)
    }
}

extension Logger {
    /// This logger with metadata writes deferred to the moment something is logged.
    var deferringMetadata: Logger {
        let base = handler
        return Logger(label: label) { _ in DeferredMetadataLogHandler(wrapping: base) }
    }
}
