import Foundation

/// Where a report's numbers come from and how fresh they are: the maintained aggregates
/// (sql/0015) as of their last refresh, or a full recomputation from the raw logs.
public struct ReportFreshness: Codable, Sendable, Equatable {
    /// maintained or full.
    public enum Source: String, Codable, Sendable {
        case maintained, full
    }

    public var source: Source
    /// Impressions shown before this time are counted, each with its whole attribution
    /// window (maintained); nil for a full recomputation, which counts every impression.
    public var dataUntil: Date?
    /// Every impression and feedback event committed before this time is counted.
    public var dataAsOf: Date
    /// Why a full recomputation was made, when it was not asked for.
    public var note: String?

    public init(source: Source, dataUntil: Date?, dataAsOf: Date, note: String? = nil) {
        self.source = source
        self.dataUntil = dataUntil
        self.dataAsOf = dataAsOf
        self.note = note
    }

    /// One line for people: "data as of … (maintained aggregates; impressions shown before …)".
    public var sentence: String {
        let asOf = dataAsOf.formatted(.iso8601)
        switch source {
        case .maintained:
            let until = dataUntil.map { "; impressions shown before \($0.formatted(.iso8601)), each with its whole attribution window" } ?? ""
            return "Data as of \(asOf) (maintained aggregates\(until))."
        case .full:
            return "Data as of \(asOf) (full recomputation from the raw logs\(note.map { ": " + $0 } ?? "")."
        }
    }
}
