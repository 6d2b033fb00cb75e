/// An item that can be recommended: its id, words for content models, and attributes
/// for candidate filters and content tokens.
public struct CatalogueItem: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var text: String
    public var attributes: [String: String]

    public init(id: String, title: String = "", text: String = "", attributes: [String: String] = [:]) {
        self.id = id
        self.title = title
        self.text = text
        self.attributes = attributes
    }
}

/// The items a strategy ranks. Items seen in interactions but absent here are still ranked,
/// with no text or attributes.
public struct ItemCatalogue: Sendable, Hashable, Codable {
    public var items: [CatalogueItem]

    public init(items: [CatalogueItem]) {
        self.items = items
    }

    /// A catalogue of bare ids, for strategies that need no text.
    public init(ids: [String]) {
        self.items = ids.map { CatalogueItem(id: $0) }
    }
}
