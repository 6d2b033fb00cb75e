import Logging
import Testing

@testable import Server

/// ServiceLifecycle names each service `"\(service)"` in its debug logs and in the error for a
/// service that stops unexpectedly; the reloader's name used to list its conninfo, password
/// included (found with LOG_LEVEL=debug).
@Suite struct ServiceNameRedactionTests {
    @Test func theReloadersNameCarriesNoConninfo() {
        let reloader = ExperimentReloader(
            conninfo: "postgresql://abctl:S3CRET@127.0.0.1:1/abctl",
            store: SnapshotStore(ExperimentSnapshot()),
            metrics: ServerMetrics(),
            pollInterval: 60,
            logger: Logger(label: "test")
        )
        // What ServiceGroupConfiguration.ServiceConfiguration(service:) takes as the name.
        let name = "\(reloader)"
        #expect(name == "ExperimentReloader")
        #expect(!name.contains("S3CRET"))
    }
}
