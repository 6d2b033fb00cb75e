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
        k = try Self.decodeK(container)
        exclude = try container.decodeIfPresent([String].self, forKey: .exclude) ?? []
        if let bad = unstorableField(marker: decoder.userInfo[UnstorableText.markerKey] as? Character) {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath + bad.path, debugDescription: bad.message))
        }
    }

    /// `k` read as any JSON number, so that 5.5 or 1e19 are refused naming `k` (JSONDecoder
    /// refuses a number it cannot make an `Int` of without naming the field).
    private static func decodeK(_ container: KeyedDecodingContainer<CodingKeys>) throws -> Int {
        guard let number = try container.decodeIfPresent(Double.self, forKey: .k) else { return 10 }
        // The range is `validate`'s to check, as for the byte parser's reading; past 2^53 a
        // double holds no exact whole number to pass on.
        guard number.rounded() == number, abs(number) <= 9_007_199_254_740_992 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: container.codingPath + [CodingKeys.k],
                    debugDescription: "k must be a whole number between 1 and \(maxK), not \(number)"
                )
            )
        }
        return Int(number)
    }

    /// Checks the values the decoder cannot: non-empty names and a sensible k. Text PostgreSQL
    /// cannot store is checked where a request comes from: `DecisionRequestParser` never reads
    /// a control character or invalid UTF-8, `init(from:)` refuses them, and requests made in
    /// process go through `validateText` (so the HTTP hot path does not scan every string twice).
    func validate() throws {
        guard !experiment.isEmpty else { throw APIError(.badRequest, "experiment must be a non-empty string", field: "experiment") }
        guard !unitID.isEmpty, unitID.utf8.count <= 256 else {
            throw APIError(.badRequest, "unit_id must be a non-empty string of at most 256 bytes", field: "unit_id")
        }
        guard (1...Self.maxK).contains(k) else { throw APIError(.badRequest, "k must be between 1 and \(Self.maxK), not \(k)", field: "k") }
    }

    /// Refuses text PostgreSQL cannot store (a NUL character) with a 400 naming the field; for
    /// requests made in process rather than read from a body.
    func validateText() throws {
        if let bad = unstorableField() { throw APIError(.badRequest, bad.message, field: bad.name) }
    }

    /// A key of a coding path: a context key or an exclude index.
    private struct PathKey: CodingKey {
        var stringValue: String
        var intValue: Int?
        init(stringValue: String) { self.stringValue = stringValue }
        init(intValue: Int) {
            stringValue = String(intValue)
            self.intValue = intValue
        }
    }

    /// The first field holding text PostgreSQL cannot store, a NUL character or `marker` (which
    /// stands for bytes that were not UTF-8, see `UnstorableText`): its coding path, its name as
    /// the API spells it, and the message; nil when every stored text is fine.
    private func unstorableField(marker: Character? = nil) -> (path: [any CodingKey], name: String, message: String)? {
        func unstorable(_ text: String) -> Bool {
            UnstorableText.containsNUL(text) || marker.map { text.contains($0) } == true
        }
        func field(_ path: [any CodingKey], _ name: String, _ what: String? = nil) -> (path: [any CodingKey], name: String, message: String) {
            (path, name, "\(what ?? name) must be UTF-8 text without NUL characters, which PostgreSQL cannot store")
        }
        if unstorable(experiment) { return field([CodingKeys.experiment], "experiment") }
        if unstorable(unitID) { return field([CodingKeys.unitID], "unit_id") }
        for (key, value) in context {
            if unstorable(key) { return field([CodingKeys.context], "context", "Every context key") }
            if case .text(let text) = value, unstorable(text) { return field([CodingKeys.context, PathKey(stringValue: key)], "context.\(key)") }
        }
        for (index, item) in exclude.enumerated() where unstorable(item) {
            return field([CodingKeys.exclude, PathKey(intValue: index)], "exclude[\(index)]")
        }
        return nil
    }

    /// Decodes a body with JSONDecoder (the path for what `DecisionRequestParser` leaves
    /// alone). A body with bytes that are not UTF-8, or raw NUL bytes, is not JSON; it is read
    /// again with them standing for NUL, so that `init(from:)` names the field holding them,
    /// and is refused as not JSON when no field does.
    static func decode(_ body: Data) throws -> DecisionRequest {
        do {
            return try JSONDecoder().decode(DecisionRequest.self, from: body)
        } catch {
            guard let (marked, marker) = UnstorableText.markingUnstorableBytes(body) else { throw error }
            let decoder = JSONDecoder()
            decoder.userInfo[UnstorableText.markerKey] = marker
            _ = try decoder.decode(DecisionRequest.self, from: marked)
            throw error
        }
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
    /// For a contextual policy's choice, the model version that chose; absent otherwise.
    public var modelVersion: Int64? = nil
    /// For a contextual policy's choice, the feature vector it chose with (intercept first); absent otherwise.
    public var features: [Double]? = nil

    enum CodingKeys: String, CodingKey {
        case experiment, version, arm, items, propensity, reason, features
        case requestID = "request_id"
        case allocationVersion = "allocation_version"
        case modelVersion = "model_version"
    }
}
