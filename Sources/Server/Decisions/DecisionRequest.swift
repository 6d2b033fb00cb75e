import Foundation
import Spec

/// The body of POST /v1/decisions: which experiment, which unit, its context, how many items
/// and which items never to show.
public struct DecisionRequest: Decodable, Sendable {
    public var experiment: String
    public var unitID: String
    public var context: [String: AttributeValue]
    public var k: Int
    public var exclude: [String]

    /// A request as the HTTP body would give it.
    public init(experiment: String, unitID: String, context: [String: AttributeValue] = [:], k: Int = 10, exclude: [String] = []) {
        self.experiment = experiment
        self.unitID = unitID
        self.context = context
        self.k = k
        self.exclude = exclude
    }

    enum CodingKeys: String, CodingKey {
        case experiment, context, k, exclude
        case unitID = "unit_id"
    }

    static let maxK = 1000

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experiment = try container.decode(String.self, forKey: .experiment)
        unitID = try container.decode(String.self, forKey: .unitID)
        context = try container.decodeIfPresent([String: AttributeValue].self, forKey: .context) ?? [:]
        k = try container.decodeIfPresent(Int.self, forKey: .k) ?? 10
        exclude = try container.decodeIfPresent([String].self, forKey: .exclude) ?? []
    }

    /// Checks the values the decoder cannot: non-empty names and a sensible k.
    func validate() throws {
        guard !experiment.isEmpty else { throw APIError(.badRequest, "experiment must be a non-empty string", field: "experiment") }
        guard !unitID.isEmpty, unitID.utf8.count <= 256 else {
            throw APIError(.badRequest, "unit_id must be a non-empty string of at most 256 bytes", field: "unit_id")
        }
        guard (1...Self.maxK).contains(k) else { throw APIError(.badRequest, "k must be between 1 and \(Self.maxK), not \(k)", field: "k") }
    }
}

/// The body of a decision answer.
public struct DecisionResponse: Codable, Sendable {
    /// One ranked item.
    public struct Item: Codable, Sendable {
        public var itemID: String
        public var score: Double
        public var position: Int
        /// In an interleaved list, the arm whose ranking contributed this item; absent otherwise.
        public var team: String?

        enum CodingKeys: String, CodingKey {
            case score, position, team
            case itemID = "item_id"
        }
    }

    /// The impression's id, in lowercase UUID form; feedback events quote it.
    public var requestID: String
    public var experiment: String
    public var version: Int
    public var arm: String
    public var items: [Item]
    public var propensity: Double
    public var allocationVersion: Int64
    /// Why the fallback arm was served; absent for units in the experiment.
    public var reason: String?

    enum CodingKeys: String, CodingKey {
        case experiment, version, arm, items, propensity, reason
        case requestID = "request_id"
        case allocationVersion = "allocation_version"
    }
}
