import Foundation
import PostgresClient
import PostgresTestSupport
import Storage
import Testing

/// The built binary stores specs as versions against the real server: every example spec
/// is validated and applied, unchanged specs are no-ops, a change becomes version 2 with
/// its difference shown, and status changes keep who and why.
@Suite struct ExperimentCommandsTests {
    func copyOfExamples() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-specs-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: TestDatabase.repositoryRoot.appendingPathComponent("experiments"), to: folder)
        return folder
    }

    @Test func applyListShowAndStatusChanges() throws {
        let specs = try copyOfExamples()
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo, "ABCTL_USER": "ada"]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)

            let exampleCount = try FileManager.default.contentsOfDirectory(atPath: specs.path).filter {
                $0.hasSuffix(".yaml") && $0 != "defaults.yaml"
            }.count
            #expect(exampleCount >= 5)
            var output = try AbctlBinary.run(["apply", specs.path], environment: env)
            #expect(output.status == 0, "\(output.combined)")
            #expect(output.standardOutput.split(separator: "\n").filter { $0.hasSuffix("created version 1") }.count == exampleCount)

            output = try AbctlBinary.run(["apply", specs.path], environment: env)
            #expect(output.standardOutput.split(separator: "\n").allSatisfy { $0.hasSuffix("unchanged (version 1)") })

            // Change the traffic of one spec: version 2, and the difference is shown.
            let file = specs.appendingPathComponent("homepage-als-vs-popularity.yaml")
            let text = try String(contentsOf: file, encoding: .utf8)
            try text.replacingOccurrences(of: "traffic: 0.8", with: "traffic: 0.6").write(to: file, atomically: true, encoding: .utf8)
            output = try AbctlBinary.run(["apply", file.path], environment: env)
            #expect(output.standardOutput.contains("homepage-als-vs-popularity: created version 2"), "\(output.combined)")
            #expect(output.standardOutput.contains("~ traffic: 0.8 → 0.6"), "\(output.standardOutput)")

            output = try AbctlBinary.run(["pause", "homepage-als-vs-popularity", "--reason", "incident 7"], environment: env)
            #expect(output.status == 0 && output.standardOutput == "homepage-als-vs-popularity: paused (by ada)")
            output = try AbctlBinary.run(["list"], environment: env)
            let line = output.standardOutput.split(separator: "\n").first { $0.hasPrefix("homepage-als-vs-popularity") } ?? ""
            #expect(line.contains("v2") && line.contains("paused"), "\(output.standardOutput)")

            output = try AbctlBinary.run(["show", "homepage-als-vs-popularity", "--version", "1"], environment: env)
            #expect(output.standardOutput.hasPrefix("experiment homepage-als-vs-popularity version 1"))
            #expect(output.standardOutput.contains("traffic: 0.8"))
            #expect(output.standardOutput.contains("paused  by ada (incident 7)"))

            output = try AbctlBinary.run(["start", "no-such-experiment"], environment: env)
            #expect(output.status == 1 && output.standardError.contains("There is no experiment called \"no-such-experiment\""))
        }
    }

    @Test func anInvalidSpecStoresNothing() throws {
        let specs = try copyOfExamples()
        try "name: broken\narms: []\nmetrics: {primary: ndcg@0}\n".write(
            to: specs.appendingPathComponent("zz-broken.yaml"),
            atomically: true,
            encoding: .utf8
        )
        try TestDatabase.withFreshDatabase { conninfo in
            let env = ["DATABASE_URL": conninfo]
            #expect(try AbctlBinary.run(["migrate"], environment: env).status == 0)
            let output = try AbctlBinary.run(["apply", specs.path], environment: env)
            #expect(output.status == 1)
            #expect(output.standardError.contains("zz-broken.yaml:"), "\(output.standardError)")
            #expect(output.standardError.contains("Nothing was applied"))
            let count = try PostgresConnection(conninfo: conninfo).query("SELECT count(*) FROM experiments")[0].decode(Int.self, at: 0)
            #expect(count == 0)
        }
    }
}
