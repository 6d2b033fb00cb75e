/// A metric an experiment can measure, with its cut-off K where it has one: `ndcg@10`, `ctr`.
public struct MetricName: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The metric families of DESIGN.md.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case precision
        case recall
        case ndcg
        case mrr
        case hit
        case ctr
        case conversion
        case revenuePerUnit = "revenue_per_unit"

        /// Whether the metric is computed over the top K positions of a ranking.
        public var takesK: Bool {
            switch self {
            case .precision, .recall, .ndcg, .mrr, .hit: return true
            case .ctr, .conversion, .revenuePerUnit: return false
            }
        }
    }

    public var kind: Kind
    /// The cut-off; nil exactly when the kind takes none.
    public var k: Int?

    public init(_ kind: Kind, k: Int? = nil) {
        self.kind = kind
        self.k = k
    }

    /// How a metric name failed to parse.
    enum ParseError: Error, Equatable {
        case unknownKind(String)
        case badK(String)
        case kNotAllowed(Kind)
    }

    /// Parses `ndcg@10`, `ndcg` (K taken from `defaultK`) or `ctr`.
    static func parse(_ text: String, defaultK: Int) -> Result<MetricName, ParseError> {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let kind = Kind(rawValue: parts[0].lowercased()) else { return .failure(.unknownKind(parts[0])) }
        guard parts.count == 2 else { return .success(MetricName(kind, k: kind.takesK ? defaultK : nil)) }
        guard kind.takesK else { return .failure(.kNotAllowed(kind)) }
        guard let k = Int(parts[1]), k >= 1 else { return .failure(.badK(parts[1])) }
        return .success(MetricName(kind, k: k))
    }

    public var description: String { k.map { "\(kind.rawValue)@\($0)" } ?? kind.rawValue }

    /// Every spelling the parser accepts, for suggestions.
    static var spellings: [String] { Kind.allCases.map { $0.takesK ? "\($0.rawValue)@K" : $0.rawValue } }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard case .success(let name) = Self.parse(text, defaultK: 10), name.description == text else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not a metric name."))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
