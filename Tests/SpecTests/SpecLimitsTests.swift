import Foundation
import Strategies
import Testing

@testable import Spec

/// A spec file costs what a spec needs, whatever is in it: aliases that expand
/// exponentially, nesting past libyaml's limit and oversized files end in one finding instead
/// of exhausting memory, time or the stack. (Time and memory are measured by
/// scripts/bench-validate.sh, not asserted here: see docs/benchmarks.md.)
@Suite struct SpecLimitsTests {
    func findings(_ text: String, file: String = "x.yaml") -> [String] {
        let report = SpecLoader(catalog: .standard).validate(files: [file: text])
        #expect(report.specs.isEmpty)
        return report.findings.map(\.description)
    }

    /// "Billion laughs": each level is a list of ten aliases of the one before, so nine
    /// levels of ten lines name 10⁹ leaves.
    static func laughs(levels: Int, asKey: Bool = false) -> String {
        var text = "name: laughs\nl0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<levels {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text + (asKey ? "? *l\(levels - 1)\n: value\n" : "arms: *l\(levels - 1)\n")
    }

    @Test func aliasesThatExpandExponentiallyStopAtTheNodeBudget() {
        let found = findings(Self.laughs(levels: 9))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.contains("expands to more than 50000 YAML nodes") == true, "\(found)")
    }

    @Test func anAliasUsedAsAKeyIsCountedBeforeYamsHashesIt() {
        // Yams hashes every key of a mapping to find duplicates: this key alone would cost 10⁹ steps.
        let found = findings(Self.laughs(levels: 9, asKey: true))
        #expect(found.count == 1 && found[0].contains("expands to more than 50000 YAML nodes"), "\(found)")
    }

    @Test func merelyManyAliasesAreFine() throws {
        // Four levels of ten: 11 110 nodes, under the budget, so the spec is read (and refused
        // for what it says, not for its size).
        let found = findings(Self.laughs(levels: 4))
        #expect(!found.contains { $0.contains("YAML nodes") }, "\(found)")
        #expect(found.contains { $0.contains("Unknown key 'l0'") }, "\(found)")
    }

    @Test func atMostAHundredFindingsAFileThenOneThatCountsTheRest() {
        // 1000 unknown keys and the two missing required ones (arms, metrics): 1002 findings,
        // of which 100 are shown and one says 902 more are not.
        let found = findings("name: wide\n" + (0..<1000).map { "e\($0): 1\n" }.joined())
        #expect(found.count == 101)
        #expect(found.filter { $0.contains("902 more findings in x.yaml, from here on, are not shown") }.count == 1, "\(found.suffix(3))")
    }

    @Test func nestingPastLibyamlsLimitIsAFinding() {
        let depth = 5000
        let found = findings("name: deep\narms: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n")
        #expect(found.count == 1 && found[0].contains("Maximum nesting level reached"), "\(found)")
    }

    @Test func aFileOverOneMebibyteIsRefusedUnparsed() {
        let text = "name: big\ndescription: \"" + String(repeating: "x", count: SpecLoader.maxFileBytes) + "\"\n"
        let found = findings(text)
        #expect(
            found == ["x.yaml:1:1: The file holds more than 1048576 bytes (1 MiB), the most a spec may hold; check that this is the spec you meant."]
        )
    }

    @Test func aBaseOverTheLimitIsRefusedToo() {
        let report = SpecLoader(catalog: .standard).validate(files: [
            "a.yaml": "extends: b.yaml\nname: a\n",
            "b.yaml": "description: " + String(repeating: "y", count: SpecLoader.maxFileBytes) + "\n",
        ])
        #expect(report.findings.contains { $0.file == "b.yaml" && $0.message.contains("more than 1048576 bytes") })
        #expect(report.specs.isEmpty)
    }

    @Test func mergeKeysOverLargeMappingsStayLinear() {
        // 6 000 keys merged beneath 6 000 explicit ones (about 36 000 nodes, under the budget):
        // the spec is read and refused for what it says. Quadratic key matching would take
        // minutes here; scripts/bench-validate.sh times it.
        let keys = 6_000
        var text = "name: wide\nbase: &base {" + (0..<keys).map { "m\($0): 1" }.joined(separator: ", ") + "}\n"
        text += "extra:\n  <<: *base\n" + (0..<keys).map { "  e\($0): 1\n" }.joined()
        let found = findings(text)
        #expect(found.contains { $0.contains("Unknown key 'base'") }, "\(found)")
    }

    /// A base outside the spec's folder and the current directory is refused unread: the
    /// lookup never sees its path, and nothing of it is quoted.
    @Test func extendsStaysInsideTheSpecsFolderAndTheCurrentDirectory() {
        let secrets = ["/etc/shadow.yaml": "root: secret-hash\n", "../private.yaml": "token: secret-token\n"]
        var asked: [String] = []
        let files = [
            "/srv/specs/a.yaml": "name: a\nextends: ../../etc/shadow.yaml\n",
            "b.yaml": "name: b\nextends: ../private.yaml\n",
        ]
        let report = SpecLoader(catalog: .standard, extendsRoots: ["", "/home/ci/repo"]).validate(paths: files.keys.sorted()) { path in
            asked.append(path)
            return files[path] ?? secrets[path]
        }
        #expect(
            report.findings.map(\.description) == [
                "/srv/specs/a.yaml:2:10: 'extends' names '../../etc/shadow.yaml', which is outside the spec's folder and the current directory; keep bases beside the specs.",
                "b.yaml:2:10: 'extends' names '../private.yaml', which is outside the spec's folder and the current directory; keep bases beside the specs.",
            ]
        )
        #expect(!asked.contains("/etc/shadow.yaml") && !asked.contains("../private.yaml"))
        #expect(!report.findings.contains { $0.message.contains("secret") })
        // Inside the spec's folder, or under a root (a sibling folder of the repository), a base is read.
        let inside = SpecLoader(catalog: .standard, extendsRoots: ["", "/home/ci/repo"]).validate(paths: ["/home/ci/repo/exp/a.yaml"]) { path in
            ["/home/ci/repo/exp/a.yaml": "name: a\nextends: ../shared/base.yaml\n", "/home/ci/repo/shared/base.yaml": "status: draft\n"][path]
        }
        #expect(!inside.findings.contains { $0.message.contains("outside") }, "\(inside.findings)")
    }

    @Test func extendsNamesOnlySpecFilesAndChainsAtMostSixteenDeep() {
        let report = SpecLoader(catalog: .standard).validate(paths: ["a.yaml"]) { path in
            ["a.yaml": "name: a\nextends: /etc/passwd\n", "/etc/passwd": "root: x\n"][path]
        }
        #expect(
            report.findings.map(\.description) == ["a.yaml:2:10: 'extends' names '/etc/passwd', which is not a .yaml or .yml file; name a base spec."]
        )

        // s0 extends s1 extends … s19: the seventeenth link is one too many.
        var files: [String: String] = [:]
        for index in 0..<20 { files["s\(index).yaml"] = "extends: s\(index + 1).yaml\n" }
        let deep = SpecLoader(catalog: .standard).validate(paths: ["s0.yaml"]) { files[$0] }
        #expect(deep.findings.count == 1)
        #expect(
            deep.findings.first?.description.hasPrefix("s16.yaml:1:10: 'extends' chains more than 16 bases beneath the spec (s0.yaml → s1.yaml → ")
                == true,
            "\(deep.findings)"
        )
    }
}
