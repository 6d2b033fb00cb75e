import Foundation
import PostgresTestSupport
import Storage

/// The built `abctl` executable, run as a user would run it.
enum AbctlBinary {
    static var path: String {
        TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/abctl").path
    }

    /// Runs abctl with `arguments` and exactly `environment` (plus PATH and HOME).
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessRunner.Output {
        var base = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        base["HOME"] = ProcessInfo.processInfo.environment["HOME"] ?? "/root"
        return try ProcessRunner.run(path, arguments, environment: base.merging(environment) { _, new in new })
    }
}
