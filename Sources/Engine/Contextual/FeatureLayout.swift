import Spec

/// How a request's context becomes a contextual policy's feature vector, from the spec's
/// `allocation.features`: an intercept (always 1) first, then one entry per feature in the
/// spec's order. A plain name `x` is numeric: the context's number (a boolean counts 1 or 0).
/// An entry `attribute=value` is one category of a one-hot encoding: 1 when the context's
/// text for `attribute` equals `value`, else 0 (a value the spec does not declare encodes as
/// all zeros, the baseline).
public struct FeatureLayout: Sendable, Hashable {
    /// One feature after the intercept.
    public enum Feature: Sendable, Hashable {
        case number(String)
        case category(attribute: String, value: String)

        /// The context attribute it reads.
        public var attribute: String {
            switch self {
            case .number(let name): name
            case .category(let attribute, _): attribute
            }
        }
    }

    public let features: [Feature]

    /// The layout of the spec's feature entries (already checked by `validate`).
    public init(entries: [String]) {
        features = entries.map { entry in
            guard let equals = entry.firstIndex(of: "=") else { return .number(entry) }
            return .category(attribute: String(entry[..<equals]), value: String(entry[entry.index(after: equals)...]))
        }
    }

    /// The layout of a contextual bandit spec's `allocation.features`; nil for any other spec.
    public init?(spec: ExperimentSpec) {
        guard let bandit = spec.allocation.bandit, bandit.policy.isContextual, case .list(let items)? = bandit.params["features"] else {
            return nil
        }
        self.init(entries: items.compactMap { item in if case .text(let text) = item { text } else { nil } })
    }

    /// The vector's length: the intercept and the features.
    public var dimension: Int { features.count + 1 }

    /// The names of the vector's entries, as logged: "intercept", then the spec's entries.
    public var names: [String] {
        ["intercept"]
            + features.map { feature in
                switch feature {
                case .number(let name): name
                case .category(let attribute, let value): "\(attribute)=\(value)"
                }
            }
    }

    /// The feature vector of `context`; throws naming the first missing or malformed attribute.
    public func vector(from context: [String: AttributeValue]) throws(FeatureError) -> [Double] {
        var vector = [Double](repeating: 0, count: dimension)
        vector[0] = 1
        for (offset, feature) in features.enumerated() {
            let attribute = feature.attribute
            guard let value = context[attribute] else { throw FeatureError(attribute: attribute, problem: .missing) }
            switch (feature, value) {
            case (.number, .number(let number)):
                guard number.isFinite else { throw FeatureError(attribute: attribute, problem: .notNumber) }
                vector[offset + 1] = number
            case (.number, .bool(let flag)):
                vector[offset + 1] = flag ? 1 : 0
            case (.number, .text):
                throw FeatureError(attribute: attribute, problem: .notNumber)
            case (.category(_, let wanted), .text(let text)):
                vector[offset + 1] = text == wanted ? 1 : 0
            case (.category(_, let wanted), .bool(let flag)):
                vector[offset + 1] = String(flag) == wanted ? 1 : 0
            case (.category, .number):
                throw FeatureError(attribute: attribute, problem: .notText)
            }
        }
        return vector
    }
}

/// A context that lacks a feature's attribute or holds the wrong kind of value for it.
public struct FeatureError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong with the attribute.
    public enum Problem: Sendable, Hashable {
        case missing, notNumber, notText
    }

    /// The context attribute.
    public var attribute: String
    public var problem: Problem

    /// The request field, as the API names it.
    public var field: String { "context.\(attribute)" }

    public var description: String {
        switch problem {
        case .missing:
            "context.\(attribute) is required: the experiment's contextual policy uses it as a feature; send it with every decision request."
        case .notNumber:
            "context.\(attribute) must be a finite number (or a boolean): the experiment's contextual policy uses it as a numeric feature."
        case .notText:
            "context.\(attribute) must be text: the experiment's contextual policy one-hot encodes it by the categories its spec declares."
        }
    }
}
