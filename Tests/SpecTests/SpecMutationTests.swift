import Strategies
import Testing

@testable import Spec

/// Seeded random mutations of a valid spec. Every "breaking" mutation makes the spec invalid
/// by construction, so the validator must report an error and return no spec; byte-level
/// garbage must never crash it.
@Suite struct SpecMutationTests {
    static let base = """
        name: fuzz
        status: running
        traffic: 0.9
        arms:
          - key: a
            strategy: popularity
            control: true
            weight: 0.25
          - key: b
            strategy: als
            params:
              factors: 32
            weight: 0.75
        allocation:
          policy: thompson
          reward: ctr
          min_weight: 0.1
        metrics:
          primary: ctr
          k: 10
        analysis:
          alpha: 0.05
        """

    /// Steele, Lea and Flood's SplitMix64, as in Stats.SplitMix64 (not a dependency of SpecTests).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    typealias Mutation = @Sendable (inout [String], inout Generator) -> Void

    /// Replaces the first line starting (after indentation) with `prefix`.
    static func replace(_ prefix: String, with text: String?) -> Mutation {
        { lines, _ in
            guard let index = lines.firstIndex(where: { $0.trimmingPrefix(while: { $0 == " " || $0 == "-" }).hasPrefix(prefix) }) else { return }
            let indent = String(lines[index].prefix { $0 == " " || $0 == "-" })
            if let text { lines[index] = indent + text } else { lines.remove(at: index) }
        }
    }

    /// Mutations that each break the spec.
    static let breaking: [Mutation] = [
        replace("name:", with: nil),
        replace("primary:", with: nil),
        replace("strategy: als", with: nil),
        replace("key: b", with: "key: a"),
        replace("traffic:", with: "traffic: 1.5"),
        replace("traffic:", with: "traffic: [1]"),
        replace("weight: 0.25", with: "weight: 0.3"),
        replace("weight: 0.75", with: "weight: 1.2"),
        replace("weight: 0.75", with: "weight: heavy"),
        replace("k: 10", with: "k: 0"),
        replace("alpha:", with: "alpha: 2"),
        replace("min_weight:", with: "min_weight: 0.9"),
        replace("factors:", with: "factors: 0"),
        replace("factors:", with: "fcators: 8"),
        replace("strategy: popularity", with: "strategy: populist"),
        replace("reward:", with: "reward: conversion"),
        replace("policy:", with: "policy: greedy"),
        replace("status:", with: "status: on"),
        replace("primary:", with: "primary: ndcg@0"),
        { lines, _ in lines.insert("    control: true", at: 9) },  // a second control on arm b
        { lines, rng in lines.insert("zz_unknown_\(rng.next() % 100): 1", at: Int(rng.next() % 3)) },
        { lines, _ in lines.insert("    colour: red", at: 5) },
        { lines, _ in lines.insert("  epsilon: 0.1", at: 15) },
    ]

    @Test func eachMutationChangesTheSpecAndBreaksItAlone() {
        let validator = SpecValidator(catalog: .standard)
        for (index, mutation) in Self.breaking.enumerated() {
            var lines = Self.base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var rng = Generator(state: UInt64(index))
            mutation(&lines, &rng)
            #expect(lines.joined(separator: "\n") != Self.base, "mutation \(index) did not apply")
            #expect(validator.validate(text: lines.joined(separator: "\n"), path: "f.yaml").hasErrors, "mutation \(index)")
        }
    }

    @Test func breakingMutationsAreNeverValid() {
        var rng = Generator(state: 20_261_129)
        let validator = SpecValidator(catalog: .standard)
        #expect(validator.validate(text: Self.base, path: "f.yaml").findings == [])
        for round in 0..<3000 {
            var lines = Self.base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var applied: [Int] = []
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                let index = Int(rng.next() % UInt64(Self.breaking.count))
                Self.breaking[index](&lines, &rng)
                applied.append(index)
            }
            let report = validator.validate(text: lines.joined(separator: "\n"), path: "f.yaml")
            #expect(report.hasErrors, "round \(round), mutations \(applied)")
            #expect(report.specs.isEmpty, "round \(round), mutations \(applied)")
            if !report.hasErrors { return }
        }
    }

    @Test func garbageNeverCrashes() {
        var rng = Generator(state: 7)
        let validator = SpecValidator(catalog: .standard)
        let alphabet = Array(" :-{}[],&*<>!|'\"#\n\tx0.9@")
        for _ in 0..<2000 {
            var characters = Array(Self.base)
            for _ in 0..<(1 + Int(rng.next() % 6)) {
                let position = Int(rng.next() % UInt64(characters.count))
                switch rng.next() % 3 {
                case 0: characters.remove(at: position)
                case 1: characters.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: position)
                default: characters[position] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
                }
            }
            let text = String(characters)
            let report = validator.validate(text: text, path: "g.yaml")
            // Either valid with a spec or invalid with an error; never both, never neither.
            #expect(report.hasErrors == report.specs.isEmpty)
            // Every finding names a place in the file: its own file, a line it has, a column from 1.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            for finding in report.findings {
                #expect(finding.file == "g.yaml" && (1...lines + 1).contains(finding.line) && finding.column >= 1, "\(finding)")
            }
        }
    }
}
