import Foundation
import Stats
import Testing

/// The reference vectors written by scripts/stats_reference.py (scipy 1.17, statsmodels 0.15,
/// gbstats 0.8.0), committed inline in ReferenceVectors.swift.
enum ReferenceFixture {
    /// The whole fixture as a JSON object.
    static func load() -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(referenceVectorsJSON.utf8)) as? [String: Any] else {
            Issue.record("ReferenceVectors.swift does not hold a JSON object; re-run scripts/stats_reference.py")
            return [:]
        }
        return object
    }

    /// A section of the fixture as a list of objects.
    static func rows(_ path: String...) -> [[String: Any]] {
        var node: Any = load()
        for key in path { node = (node as? [String: Any])?[key] as Any }
        let rows = node as? [[String: Any]] ?? []
        if rows.isEmpty { Issue.record("reference section \(path) is empty or missing") }
        return rows
    }

    /// A section of the fixture as a list of numeric tuples.
    static func numbers(_ path: String...) -> [[Double]] {
        var node: Any = load()
        for key in path { node = (node as? [String: Any])?[key] as Any }
        let rows = (node as? [[Any]] ?? []).map { $0.map(double) }
        if rows.isEmpty { Issue.record("reference section \(path) is empty or missing") }
        return rows
    }
}

/// A JSON number as a Double (0 for anything else).
func double(_ value: Any?) -> Double {
    (value as? NSNumber)?.doubleValue ?? 0
}

/// A JSON object's member as an object.
func object(_ value: Any?) -> [String: Any] {
    value as? [String: Any] ?? [:]
}

/// A JSON arm object as sufficient statistics.
func statistics(_ value: Any?) -> SufficientStatistics {
    let o = object(value)
    return SufficientStatistics(
        count: double(o["count"]),
        sum: double(o["sum"]),
        sumOfSquares: o["sumOfSquares"] == nil ? double(o["sum"]) : double(o["sumOfSquares"]),
        denominatorSum: (o["denominatorSum"] as? NSNumber)?.doubleValue,
        denominatorSumOfSquares: (o["denominatorSumOfSquares"] as? NSNumber)?.doubleValue,
        crossProductSum: (o["crossProductSum"] as? NSNumber)?.doubleValue
    )
}

/// Whether `actual` is within `relative`·|expected| or `absolute` of `expected`.
func isClose(_ actual: Double, _ expected: Double, relative: Double = 1e-6, absolute: Double = 1e-12) -> Bool {
    abs(actual - expected) <= max(absolute, relative * abs(expected))
}
