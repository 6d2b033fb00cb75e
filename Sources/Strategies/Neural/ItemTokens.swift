/// The content tokens of every item for the two-tower item tower: the words of its title and
/// text (`Tokeniser`) and one `name=value` token per attribute, numbered in first-seen order.
struct ItemTokens: Sendable, Codable, Equatable {
    /// Item index → token indices (each token once).
    var tokens: [[Int]]
    var vocabularySize: Int

    init(space: ItemSpace, catalogue: ItemCatalogue) {
        let texts = Dictionary(catalogue.items.map { ($0.id, $0.title + " " + $0.text) }) { first, _ in first }
        var vocabulary: [String: Int] = [:]
        tokens = space.ids.indices.map { index in
            let words = Tokeniser.words(in: texts[space.ids[index]] ?? "")
            let attributes = space.attributes[index].keys.sorted().map { "\($0)=\(space.attributes[index][$0, default: ""].lowercased())" }
            var seen = Set<Int>()
            var result: [Int] = []
            for token in words + attributes {
                let id = vocabulary[token] ?? vocabulary.count
                vocabulary[token] = id
                if seen.insert(id).inserted { result.append(id) }
            }
            return result
        }
        vocabularySize = vocabulary.count
    }
}
