import Foundation

/// When the experiment runs: both ends optional, `end` after `start`.
public struct Schedule: Codable, Sendable, Equatable {
    public var start: Date?
    public var end: Date?

    public init(start: Date? = nil, end: Date? = nil) {
        self.start = start
        self.end = end
    }

    /// Whether `date` falls in [start, end).
    public func contains(_ date: Date) -> Bool {
        if let start, date < start { return false }
        if let end, date >= end { return false }
        return true
    }
}
