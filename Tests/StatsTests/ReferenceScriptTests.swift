import Foundation
import Testing

/// Re-runs scripts/stats_reference.py when python3 with scipy and statsmodels is available and
/// checks that it still produces the committed vectors, so the fixtures cannot drift from the
/// script that documents them. Without python the other suites use the committed vectors.
@Suite struct ReferenceScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The script's JSON output, or nil when python3, scipy or statsmodels is missing.
    static func runScript() -> Any? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/stats_reference.py", "--stdout"]
        process.currentDirectoryURL = repository
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    @Test func scriptReproducesTheCommittedVectors() {
        guard let fresh = Self.runScript() else { return }
        var mismatches: [String] = []
        compare(fresh, ReferenceFixture.load(), path: "", into: &mismatches)
        #expect(mismatches.isEmpty, "re-run scripts/stats_reference.py: \(mismatches.prefix(5))")
    }

    /// Walks both JSON trees; numbers must agree to 1e-9 relative, everything else exactly.
    func compare(_ a: Any, _ b: Any, path: String, into mismatches: inout [String]) {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            if Set(x.keys) != Set(y.keys) { mismatches.append("\(path): keys differ") }
            for (key, value) in x where key != "generator" {
                if let other = y[key] { compare(value, other, path: path + "." + key, into: &mismatches) }
            }
        case let (x as [Any], y as [Any]):
            if x.count != y.count { mismatches.append("\(path): lengths differ") }
            for (i, pair) in zip(x, y).enumerated() { compare(pair.0, pair.1, path: "\(path)[\(i)]", into: &mismatches) }
        case let (x as NSNumber, y as NSNumber):
            if !isClose(x.doubleValue, y.doubleValue, relative: 1e-9, absolute: 1e-300) { mismatches.append("\(path): \(x) vs \(y)") }
        case let (x as String, y as String):
            if x != y { mismatches.append("\(path): \(x) vs \(y)") }
        default:
            if !(a is NSNull && b is NSNull) { mismatches.append("\(path): types differ") }
        }
    }
}
