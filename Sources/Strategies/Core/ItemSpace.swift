/// The items a fitted model ranks, numbered 0..<count so models work on contiguous arrays;
/// with an attribute index for candidate filters.
struct ItemSpace: Sendable {
    private(set) var ids: [String]
    private(set) var attributes: [[String: String]]
    private var indexByID: [String: Int32]
    /// attribute name → value → item indices.
    private var attributeIndex: [String: [String: [Int32]]]

    init(ids: [String], attributes: [[String: String]]) {
        self.ids = ids
        self.attributes = attributes
        var indexByID: [String: Int32] = [:]
        var attributeIndex: [String: [String: [Int32]]] = [:]
        for (index, id) in ids.enumerated() {
            indexByID[id] = Int32(index)
            for (name, value) in attributes[index] {
                attributeIndex[name, default: [:]][value, default: []].append(Int32(index))
            }
        }
        self.indexByID = indexByID
        self.attributeIndex = attributeIndex
    }

    /// The catalogue's items, then any item seen only in `interactions`, in first-seen order.
    init(catalogue: ItemCatalogue, interactions: [Interaction]) {
        var ids: [String] = []
        var attributes: [[String: String]] = []
        var seen = Set<String>()
        for item in catalogue.items where seen.insert(item.id).inserted {
            ids.append(item.id)
            attributes.append(item.attributes)
        }
        for interaction in interactions where seen.insert(interaction.item).inserted {
            ids.append(interaction.item)
            attributes.append([:])
        }
        self.init(ids: ids, attributes: attributes)
    }

    var count: Int { ids.count }

    func index(of id: String) -> Int32? { indexByID[id] }

    /// The index of `id`, appending it (without attributes) when it is new, for strategies
    /// that can rank items first seen online.
    mutating func insert(_ id: String) -> Int32 {
        if let known = indexByID[id] { return known }
        let index = Int32(ids.count)
        ids.append(id)
        attributes.append([:])
        indexByID[id] = index
        return index
    }

    /// Which items pass `filter`, as a mask over indices; nil when every item passes.
    func mask(for filter: CandidateFilter?) -> [Bool]? {
        guard let filter else { return nil }
        var mask = [Bool](repeating: false, count: count)
        for index in matching(filter) { mask[Int(index)] = true }
        return mask
    }

    private func matching(_ filter: CandidateFilter) -> Set<Int32> {
        switch filter {
        case .attributeEquals(let name, let value):
            return Set(attributeIndex[name]?[value] ?? [])
        case .attributeIn(let name, let values):
            var result = Set<Int32>()
            for value in values { result.formUnion(attributeIndex[name]?[value] ?? []) }
            return result
        case .all(let filters):
            guard let first = filters.first else { return Set((0..<Int32(count))) }
            return filters.dropFirst().reduce(matching(first)) { $0.intersection(matching($1)) }
        }
    }
}

extension ItemSpace: Codable {
    private enum CodingKeys: String, CodingKey { case ids, attributes }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let ids = try container.decode([String].self, forKey: .ids)
        let attributes = try container.decode([[String: String]].self, forKey: .attributes)
        guard ids.count == attributes.count else {
            throw DecodingError.dataCorruptedError(forKey: .attributes, in: container, debugDescription: "attributes do not match ids")
        }
        self.init(ids: ids, attributes: attributes)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ids, forKey: .ids)
        try container.encode(attributes, forKey: .attributes)
    }
}
