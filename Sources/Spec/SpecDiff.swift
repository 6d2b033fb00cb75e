import Foundation

/// The fields that differ between two versions of a spec, as readable lines for `abctl apply`.
public struct SpecDiff: Sendable, Equatable {
    /// One changed field; `old` is nil for an added field, `new` nil for a removed one.
    public struct Change: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var old: String?
        public var new: String?

        /// `~ path: old → new`, `+ path: new` or `- path: old`.
        public var description: String {
            switch (old, new) {
            case (let old?, let new?): return "~ \(path): \(old) → \(new)"
            case (nil, let new?): return "+ \(path): \(new)"
            case (let old?, nil): return "- \(path): \(old)"
            case (nil, nil): return "  \(path)"
            }
        }
    }

    public var changes: [Change]

    /// Compares the canonical JSON of `old` and `new`; arms are matched by key, not position.
    public init(from old: ExperimentSpec, to new: ExperimentSpec) throws {
        let before = Dictionary(try Self.fields(of: old), uniquingKeysWith: { first, _ in first })
        let after = Dictionary(try Self.fields(of: new), uniquingKeysWith: { first, _ in first })
        changes = Set(before.keys).union(after.keys).sorted().compactMap { path in
            before[path] == after[path] ? nil : Change(path: path, old: before[path], new: after[path])
        }
    }

    /// Whether the two versions are the same.
    public var isEmpty: Bool { changes.isEmpty }

    /// One line per change.
    public var lines: [String] { changes.map(\.description) }

    private static func fields(of spec: ExperimentSpec) throws -> [(path: String, value: String)] {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(try spec.canonicalJSON().utf8))
        return json.flattened()
    }
}
