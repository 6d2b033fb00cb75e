import Foundation
import Storage

/// Everything `abctl serve` needs to run: where to listen, which database, where the spool
/// lives, and the limits that turn overload into 413/503 answers instead of lost data.
public struct ServerConfiguration: Sendable {
    /// Host to bind, e.g. 127.0.0.1.
    public var host: String
    /// Port to bind; 0 lets the system choose (the bound port is reported on start).
    public var port: Int
    /// libpq conninfo or URL of the PostgreSQL database.
    public var conninfo: String
    /// Folder of the local spool that holds acknowledged events while PostgreSQL is unreachable.
    public var spoolDirectory: URL
    /// Connections in the pool that serves writes and sticky lookups.
    public var poolSize: Int = 4
    /// Most events one POST /v1/events may carry (more → 413).
    public var maxEventsPerBatch: Int = 1000
    /// Most request body bytes accepted (more → 413).
    public var maxBodyBytes: Int = 4 << 20
    /// Most events being written at once; a batch past it gets 503 with Retry-After.
    public var maxEventsInFlight: Int = 50_000
    /// Most bytes the spool may hold; past it new batches get 503 with Retry-After.
    public var maxSpoolBytes: Int = 1 << 30
    /// Most impressions held in memory waiting for PostgreSQL; past it decisions are answered
    /// 503 with Retry-After (in process, `abctl decide` and the demo flush the buffer first).
    public var maxBufferedImpressions: Int = 100_000
    /// How often the impression writer flushes, at the latest.
    public var impressionFlushInterval: Duration = .milliseconds(100)
    /// How often experiments are reloaded even without a NOTIFY (the polling fallback); model
    /// files that changed are picked up at the same moments.
    public var reloadPollInterval: Double = 30
    /// Whether decisions, events and dashboards need an API key (`abctl keys create`); turn
    /// off only on a trusted network or for local trials.
    public var requiresKeys = true
    /// Whether this server also runs the bandit allocator on each spec's update_interval.
    public var runsAllocator = true
    /// How often the allocator looks for experiments due an update, in seconds.
    public var allocatorPollInterval: Double = 30
    /// Seconds between refreshes of the maintained aggregates (sql/0015) that reports, the
    /// dashboard and the allocator read; nil (the default here) runs none: `abctl serve`
    /// sets it from `--refresh-interval` (10 s unless told otherwise).
    public var aggregateRefreshInterval: Double?
    /// Where `abctl train` saved the arms' models (`<root>/<experiment>/<arm>.model`).
    public var models = ModelDirectory()

    /// Answers decisions that can be made from memory on the connection's event loop
    /// (`DecisionFastPath`); off, every request goes through the router. Off with
    /// ABCTL_DECISION_FAST_PATH=0, for comparing the two in benchmarks.
    public var answersDecisionsOnEventLoop = ProcessInfo.processInfo.environment["ABCTL_DECISION_FAST_PATH"] != "0"
    /// Whether `GET /bench/hello` answers a fixed text ahead of every middleware: Hummingbird's
    /// own ceiling on this machine, measured by scripts/bench-server.sh in the same process.
    /// Off unless the environment has ABCTL_BENCH_HELLO=1; not part of the API.
    public var servesBenchmarkHello = ProcessInfo.processInfo.environment["ABCTL_BENCH_HELLO"] == "1"

    /// A configuration with the default limits.
    public init(host: String = "127.0.0.1", port: Int = 8080, conninfo: String, spoolDirectory: URL) {
        self.host = host
        self.port = port
        self.conninfo = conninfo
        self.spoolDirectory = spoolDirectory
    }
}
