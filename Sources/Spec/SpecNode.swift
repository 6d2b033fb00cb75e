/// A YAML node with its source location, owned by this module so that it is `Sendable`,
/// survives merging of defaults and bases, and keeps the file each value came from.
struct SpecNode: Sendable {
    /// How YAML's core schema resolved a scalar.
    enum ScalarKind: Sendable, Equatable {
        case null
        case bool(Bool)
        case integer(Int)
        case real(Double)
        case string
    }

    /// A scalar's text and its resolved kind (quoted scalars are always strings).
    struct Scalar: Sendable {
        var text: String
        var kind: ScalarKind
    }

    /// One key of a mapping with the location of the key itself.
    struct Entry: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: SpecNode
    }

    enum Content: Sendable {
        case scalar(Scalar)
        case mapping([Entry])
        case sequence([SpecNode])
    }

    var content: Content
    var location: SourceLocation

    /// The entries when this is a mapping.
    var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The items when this is a sequence.
    var items: [SpecNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The scalar when this is one.
    var scalar: Scalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    /// The value of `key` when this is a mapping that has it.
    subscript(key: String) -> SpecNode? {
        entries?.first { $0.key == key }?.value
    }

    /// A short phrase naming what this node is, for messages such as "not a list".
    var kindPhrase: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return "empty"
            case .bool(let value): return "the boolean \(value)"
            case .integer(let value): return "the integer \(value)"
            case .real(let value): return "the number \(value)"
            case .string: return "the string \"\(scalar.text)\""
            }
        }
    }
}
