import Foundation

/// One logged impression as off-policy evaluation reads it: which arm served it with which
/// probability, the items shown, the context features and the reward that followed.
public struct LoggedImpression: Sendable, Hashable {
    public var requestID: UUID
    public var arm: String
    /// The unit served; empty unless the reader was asked for the items.
    public var unitID: String
    /// The ranked items shown; empty unless the reader was asked for them.
    public var itemIDs: [String]
    /// The probability that the arm was chosen for this request.
    public var propensity: Double
    /// The requested context features, in the order asked for.
    public var context: [Double]
    public var reward: Double

    public init(requestID: UUID, arm: String, unitID: String = "", itemIDs: [String], propensity: Double, context: [Double], reward: Double) {
        self.requestID = requestID
        self.arm = arm
        self.unitID = unitID
        self.itemIDs = itemIDs
        self.propensity = propensity
        self.context = context
        self.reward = reward
    }

    /// A stable 64-bit key of the request id, the same in every pass whatever the row order, for
    /// the streaming bootstrap.
    public var key: UInt64 {
        let bytes = requestID.uuid
        return withUnsafeBytes(of: bytes) { raw in
            raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self) ^ raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).byteSwapped
        }
    }
}
