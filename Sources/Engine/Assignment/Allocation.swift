import Foundation

/// The arm weights in force from `start` on. Every change is a new version, so the traffic
/// history can be drawn and each impression names the version that chose its arm.
public struct Allocation: Sendable, Equatable, Codable {
    public var version: Int64
    /// Weight of each arm, summing to 1; arms absent here get no traffic.
    public var weights: [String: Double]
    public var start: Date

    public init(version: Int64, weights: [String: Double], start: Date) {
        self.version = version
        self.weights = weights
        self.start = start
    }
}
