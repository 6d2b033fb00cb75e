import Foundation
import Testing

@testable import CLI

/// `abctl validate` parsed and run in process on temporary files.
@Suite struct ValidateCommandTests {
    static let valid = """
        name: demo
        arms:
          - {key: a, strategy: popularity, control: true}
          - {key: b, strategy: markov}
        metrics: {primary: ctr}

        """

    static func write(_ files: [String: String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("abctl-validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    static func command(_ arguments: [String]) throws -> ValidateCommand {
        let parsed = try ABCtl.parseAsRoot(["validate"] + arguments)
        return try #require(parsed as? ValidateCommand)
    }

    @Test func validFilePrintsOKAndExitsZero() throws {
        let folder = try Self.write(["good.yaml": Self.valid])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("good.yaml").path
        let (output, status) = try Self.command([path]).execute()
        #expect(status == 0)
        #expect(output == "\(path): OK (demo, 2 arms, fixed allocation)")
    }

    @Test func anInterleavingSpecIsReportedAsInterleaved() throws {
        let folder = try Self.write(["mix.yaml": Self.valid.replacingOccurrences(of: "name: demo", with: "name: demo\ntype: interleaving")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("mix.yaml").path
        let (output, status) = try Self.command([path]).execute()
        #expect(status == 0)
        #expect(output == "\(path): OK (demo, 2 arms, interleaved)")
    }

    @Test func brokenFilePrintsEveryFindingAndExitsOne() throws {
        let broken = Self.valid.replacingOccurrences(of: "name: demo", with: "name: demo\ntrafic: 2")
            .replacingOccurrences(of: "strategy: markov", with: "strategy: markow")
        let folder = try Self.write(["bad.yaml": broken])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.yaml").path
        let (output, status) = try Self.command([path]).execute()
        #expect(status == 1)
        #expect(
            output == """
                \(path):2:1: Unknown key 'trafic' in the experiment; did you mean 'traffic'?
                \(path):5:24: Unknown strategy 'markow' in 'arms[1].strategy'; did you mean 'markov'?
                """
        )
    }

    /// A file that is not UTF-8 is named at its first bad byte, not called unreadable; a base
    /// that is not UTF-8 is named in the base. Columns counted by hand: "name: d" is 7
    /// characters, so the 0xFF after it is at 1:8, byte 7; in the base, "arms:\n  - {key: "
    /// puts "é" (0xC3 0xA9) at 2:11 and the lone 0xE9 after it at 2:12, byte 18.
    @Test func aFileThatIsNotUTF8IsNamedAtItsFirstBadByte() throws {
        let folder = try Self.write([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let spec = folder.appendingPathComponent("latin1.yaml")
        try Data("name: d".utf8 + [0xFF] + Array("emo\n".utf8)).write(to: spec)
        let base = folder.appendingPathComponent("base.yaml")
        try Data("arms:\n  - {key: ".utf8 + [0xC3, 0xA9, 0xE9] + Array(", strategy: popularity}\n".utf8)).write(to: base)
        let child = folder.appendingPathComponent("child.yaml")
        try "extends: base.yaml\nname: child\n".write(to: child, atomically: true, encoding: .utf8)

        let (output, status) = try Self.command([spec.path]).execute()
        #expect(status == 1)
        #expect(output == "\(spec.path):1:8: The file is not UTF-8 text: byte 7 (counted from 0) starts no UTF-8 character; save the file as UTF-8.")
        let (childOutput, childStatus) = try Self.command([child.path]).execute()
        #expect(childStatus == 1)
        #expect(
            childOutput
                == "\(base.path):2:12: The file is not UTF-8 text: byte 18 (counted from 0) starts no UTF-8 character; save the file as UTF-8."
        )
    }

    @Test func jsonFormatGivesTheSameFindings() throws {
        let folder = try Self.write(["bad.yaml": Self.valid.replacingOccurrences(of: "primary: ctr", with: "primary: ctr@3")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad.yaml").path
        let (output, status) = try Self.command([path, "--format", "json"]).execute()
        #expect(status == 1)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(objects.count == 1)
        #expect(objects.first?["file"] as? String == path)
        #expect(objects.first?["line"] as? Int == 5)
        #expect(objects.first?["column"] as? Int == 20)
        #expect(objects.first?["severity"] as? String == "error")
        #expect(objects.first?["message"] as? String == "Metric 'ctr' takes no @K; write 'ctr'.")
    }

    @Test func folderUsesItsDefaults() throws {
        let spec = Self.valid.replacingOccurrences(of: "metrics: {primary: ctr}\n", with: "")
        let folder = try Self.write(["spec.yaml": spec, "defaults.yaml": "metrics: {primary: conversion, k: 0}\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (output, status) = try Self.command([folder.path]).execute()
        #expect(status == 1)
        // Column 35 is the `0` of `k: 0`; the finding points into defaults.yaml, not spec.yaml.
        #expect(output == "\(folder.path)/defaults.yaml:1:35: 'metrics.k' must be a whole number from 1 to 1000, not the integer 0.")
    }
}
