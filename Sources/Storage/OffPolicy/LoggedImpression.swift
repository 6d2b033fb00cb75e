import Foundation

/// One logged impression as off-policy evaluation reads it: which arm served it with which
/// probability, the items shown, the context features and the reward that followed.
public struct LoggedImpression: Sendable, Hashable {
    /// The request id as PostgreSQL prints it (a UUID).
    public var requestID: String
    /// The arm that served the impression.
    public var arm: String
    /// The unit served; empty unless the reader was asked for the items.
    public var unitID: String
    /// The ranked items shown; empty unless the reader was asked for them.
    public var itemIDs: [String]
    /// The probability that the arm was chosen for this request.
    public var propensity: Double
    /// The requested context features, in the order asked for.
    public var context: [Double]
    /// The reward that followed, per the reader's `OffPolicyReward`.
    public var reward: Double

    /// An impression as read from the logs.
    public init(requestID: String, arm: String, unitID: String = "", itemIDs: [String], propensity: Double, context: [Double], reward: Double) {
        self.requestID = requestID
        self.arm = arm
        self.unitID = unitID
        self.itemIDs = itemIDs
        self.propensity = propensity
        self.context = context
        self.reward = reward
    }

    /// A stable 64-bit key of the request id (FNV-1a of its text), the same in every pass whatever
    /// the row order, for the streaming bootstrap.
    public var key: UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in requestID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
