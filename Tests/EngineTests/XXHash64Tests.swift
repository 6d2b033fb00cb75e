import Foundation
import Testing

@testable import Engine

/// XXH64 against the reference C library (libxxhash 0.8 via scripts/assignment_vectors.py).
/// The first three vectors are also the ones published in the xxHash documentation and
/// test suites (XXH64("") = EF46DB3751D8E999, "a" = D24EC4F1A98C6E5B, "abc" = 44BC2CF5AD770999).
@Suite struct XXHash64Tests {
    static let vectors: [(String, UInt64, UInt64)] = [
        ("", 0x0, 0xef46_db37_51d8_e999),
        ("a", 0x0, 0xd24e_c4f1_a98c_6e5b),
        ("abc", 0x0, 0x44bc_2cf5_ad77_0999),
        ("abcd", 0x0, 0xde03_27b0_d25d_92cc),
        ("abcdefgh", 0x0, 0x3ad3_5177_5b46_34b7),
        ("0123456789abcdefghijklmnopqrstu", 0x0, 0x80ad_fc1d_4202_0f39),
        ("0123456789abcdefghijklmnopqrstuv", 0x0, 0xbf7c_9dbe_16b5_c6e2),
        ("The quick brown fox jumps over the lazy dog", 0x0, 0x0b24_2d36_1fda_71bc),
        ("The quick brown fox jumps over the lazy dog", 0x9e37_79b1, 0xb31b_9019_ec17_6b0c),
        ("a", 0xffff_ffff_ffff_ffff, 0x60c4_3759_873e_ce62),
    ]

    @Test(arguments: 0..<vectors.count)
    func matchesReference(_ index: Int) {
        let (text, seed, expected) = Self.vectors[index]
        #expect(XXHash64.hash(text, seed: seed) == expected)
    }

    /// docs/assignment-vectors.csv: unit id, salt → seed, hash and bucket from the reference library.
    @Test func committedAssignmentVectors() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/assignment-vectors.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter {
            !$0.isEmpty
        }
        #expect(lines.count == 54)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let hash = UnitHash(salt: fields[1])
            #expect(String(hash.seed, radix: 16).leftPadded(to: 16) == fields[2], "seed of \(fields[1])")
            #expect(String(hash.hash(fields[0]), radix: 16).leftPadded(to: 16) == fields[3], "hash of \(fields[0]) / \(fields[1])")
            #expect(hash.bucket(fields[0]) == Double(fields[4]), "bucket of \(fields[0]) / \(fields[1])")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
