import ArgumentParser
import Foundation
import Metrics
import Testing

@testable import CLI

/// `abctl eval` parsed in process from the root command, on tiny files written to a temporary folder.
struct EvalCommandTests {
    /// Query 1 ranks a (score 2) then b (1); only b is relevant. Query 2 ranks c, relevant grade 2,
    /// and judges d (grade 1) unretrieved. Query 3 is judged but absent from the run.
    static let run = "1 Q0 a 1 2 t\n1 Q0 b 2 1 t\n2 Q0 c 1 1 t\n"
    static let qrels = "1 0 b 1\n2 0 c 2\n2 0 d 1\n3 0 e 1\n"

    /// Writes `text` to a fresh temporary file and returns its path.
    static func file(_ text: String, name: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static func command(_ arguments: [String]) throws -> EvalCommand {
        let parsed = try ABCtl.parseAsRoot(["eval"] + arguments)
        return try #require(parsed as? EvalCommand)
    }

    @Test func csvCarriesHandComputedValues() throws {
        let runPath = try Self.file(Self.run, name: "run.txt")
        let qrelsPath = try Self.file(Self.qrels, name: "qrels.txt")
        let command = try Self.command([
            "--run", runPath, "--qrels", qrelsPath, "--k", "1,2", "--metrics", "p,ndcg,mrr", "--format", "csv", "--per-query",
        ])
        // Query 1: P@1 = 0, P@2 = 1/2; NDCG@1 = 0; NDCG@2 = (1/log2 3) / 1 = 0.6309297535714575; RR = 1/2.
        // Query 2: P@1 = 1, P@2 = 1/2; NDCG@1 = 2/2 = 1; NDCG@2 = 2 / (2 + 1/log2 3) = 2/2.6309297535714575
        //          = 0.7601875334318685; RR = 1.
        // Means over queries 1 and 2 (3 is not in the run): P@1 0.5, P@2 0.5, NDCG@1 0.5,
        // NDCG@2 (0.6309297535714575 + 0.7601875334318685) / 2 = 0.6955586435016630, MRR 0.75.
        let lines = try command.evaluate().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0] == "query,P@1,P@2,ndcg@1,ndcg@2,mrr")
        let values = lines.map { $0.split(separator: ",").dropFirst().compactMap { Double($0) } }
        let expected: [[Double]] = [
            [0, 0.5, 0, 0.6309297535714575, 0.5],
            [1, 0.5, 1, 0.7601875334318685, 1],
            [0.5, 0.5, 0.5, 0.6955586435016630, 0.75],
        ]
        for (row, want) in zip(values.dropFirst(), expected) {
            #expect(row.count == want.count)
            for (got, value) in zip(row, want) { #expect(abs(got - value) < 1e-12) }
        }
        #expect(lines[1].hasPrefix("1,") && lines[2].hasPrefix("2,") && lines[3].hasPrefix("all,"))
    }

    @Test func countMissingQueriesAddsZeroRows() throws {
        let runPath = try Self.file(Self.run, name: "run.txt")
        let qrelsPath = try Self.file(Self.qrels, name: "qrels.txt")
        let command = try Self.command(["--run", runPath, "--qrels", qrelsPath, "--metrics", "mrr", "-c", "--format", "json"])
        // MRR over 1, 2 and the missing 3: (0.5 + 1 + 0) / 3 = 0.5.
        let json = try command.evaluate()
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["queries"] as? Int == 3)
        let mean = try #require(object["mean"] as? [String: Double])
        #expect(mean == ["mrr": 0.5])
    }

    @Test func tableShowsFourDecimalsAndDefaultsToK10() throws {
        let runPath = try Self.file(Self.run, name: "run.txt")
        let qrelsPath = try Self.file(Self.qrels, name: "qrels.txt")
        let output = try Self.command(["--run", runPath, "--qrels", qrelsPath, "--metrics", "p"]).evaluate()
        // P@10: query 1 has 1 relevant of 10, query 2 has 1 of 10 → mean 0.1.
        #expect(output == "query    P@10\nall    0.1000\n2 queries evaluated\n")
    }

    @Test func malformedRunReportsFileLineAndFailsWithNonZeroExit() throws {
        let runPath = try Self.file("1 Q0 a 1 2 t\n1 Q0 b 2 x t\n", name: "bad.run")
        let qrelsPath = try Self.file(Self.qrels, name: "qrels.txt")
        let command = try Self.command(["--run", runPath, "--qrels", qrelsPath])
        do {
            _ = try command.evaluate()
            Issue.record("expected a format error")
        } catch {
            #expect("\(error)" == "\(runPath):2: field 5 (score) 'x' is not a finite number")
        }
        do {
            try command.run()
            Issue.record("expected a failing exit")
        } catch {
            let code = ABCtl.exitCode(for: error)
            #expect(code != .success)
        }
    }

    @Test func rejectsMissingInputsUnknownMetricsAndBadCutoffs() {
        #expect(throws: (any Error).self) { try Self.command(["--run", "r.txt"]) }
        #expect(throws: (any Error).self) { try Self.command(["--run", "r", "--qrels", "q", "--metrics", "auc"]) }
        #expect(throws: (any Error).self) { try Self.command(["--run", "r", "--qrels", "q", "--k", "0"]) }
        #expect(throws: (any Error).self) { try Self.command(["--run", "r", "--qrels", "q", "--format", "xml"]) }
    }

    @Test func helpListsTheTrecFlags() {
        let help = ABCtl.helpMessage(for: EvalCommand.self)
        for flag in ["--run <FILE>", "--qrels <FILE>", "--k <k>", "--metrics", "--format", "--per-query", "--count-missing-queries"] {
            #expect(help.contains(flag), "help lacks \(flag)")
        }
    }
}

/// A run and qrels with no query id in common (here `q1` against `1`, `2`, `3`) evaluate nothing;
/// `abctl eval` refuses them instead of printing means of 0.
struct EvalNoSharedQueryTests {
    @Test func runWithoutSharedQueryIsRefused() throws {
        let runPath = try EvalCommandTests.file("q1 Q0 b 1 1 t\n", name: "run.txt")
        let qrelsPath = try EvalCommandTests.file(EvalCommandTests.qrels, name: "qrels.txt")
        let command = try EvalCommandTests.command(["--run", runPath, "--qrels", qrelsPath])
        #expect(throws: TrecQueryMismatch.self) { try command.evaluate() }
        #expect(throws: ExitCode.self) { try command.run() }
    }
}
