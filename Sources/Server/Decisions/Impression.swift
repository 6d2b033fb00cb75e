import Foundation

/// One logged decision, as stored in `impressions` (and, while PostgreSQL is away, as a line
/// of the impression spool).
struct Impression: Codable, Sendable {
    var requestID: UUID
    var experiment: String
    var experimentVersion: Int
    var arm: String
    var unitID: String
    var itemIDs: [String]
    var scores: [Double]
    var propensity: Double
    var allocationVersion: Int64
    /// The request's context as a JSON object.
    var contextJSON: String
    var reason: String?
    var createdAt: Date
    /// For an interleaved list, the arm that contributed each item (one per item); nil otherwise.
    var teams: [String]? = nil
    /// For a contextual policy's decision, the feature vector it was chosen with; nil otherwise.
    var features: [Double]? = nil
    /// For a contextual policy's decision, the model version that chose; nil otherwise.
    var modelVersion: Int64? = nil
}

/// The spool that holds impressions while PostgreSQL is unreachable (`<spool>/impressions`).
typealias ImpressionSpool = FileSpool<Impression>
