import Foundation
import Spec

/// The body of POST /v1/decisions.
struct DecisionRequest: Decodable, Sendable {
    var experiment: String
    var unitID: String
    var context: [String: AttributeValue]
    var k: Int
    var exclude: [String]

    enum CodingKeys: String, CodingKey {
        case experiment, context, k, exclude
        case unitID = "unit_id"
    }

    static let maxK = 1000

    init(from decoder: any Decoder) throws {
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
struct DecisionResponse: Codable, Sendable {
    struct Item: Codable, Sendable {
        var itemID: String
        var score: Double
        var position: Int

        enum CodingKeys: String, CodingKey {
            case score, position
            case itemID = "item_id"
        }
    }

    /// The impression's id, in lowercase UUID form; feedback events quote it.
    var requestID: String
    var experiment: String
    var version: Int
    var arm: String
    var items: [Item]
    var propensity: Double
    var allocationVersion: Int64
    /// Why the fallback arm was served; absent for units in the experiment.
    var reason: String?

    enum CodingKeys: String, CodingKey {
        case experiment, version, arm, items, propensity, reason
        case requestID = "request_id"
        case allocationVersion = "allocation_version"
    }
}
