/// A request's recent items against a unit's kept session state. The state usually has
/// consumed some of them already: after fit it holds the unit's last session (the offline
/// evaluator then passes the unit's last five training items), and after `observe` a client's
/// session list repeats events the service has seen. A hidden state cannot say which items it
/// holds, so the state remembers its latest ids and only the rest are stepped; stepping them
/// again would feed the GRU an echo it never saw in training (Markov's context drops such
/// repeats the same way). On MovieLens 100K (leave-last-out, scripts/public-dataset-eval.sh,
/// default parameters) NDCG@10 was 0.065 stepping every recent item again, 0.068 starting a
/// fresh state from the recent items alone (losing the older part of the session), and 0.071
/// stepping only the unconsumed ones.
extension GRU4RecModel {
    /// How many of a session's latest item ids a state keeps to recognise repeats.
    static let keptItemCount = 20

    /// The part of `recent` (oldest first) after its longest prefix that ends with the items
    /// the state consumed last, `consumed` (oldest first); all of `recent` when no prefix does.
    static func unconsumed(_ recent: [Int], after consumed: [Int]) -> [Int] {
        guard !consumed.isEmpty else { return recent }
        for end in stride(from: recent.count, through: 1, by: -1) {
            let overlap = min(end, consumed.count)
            if recent[(end - overlap)..<end].elementsEqual(consumed.suffix(overlap)) { return Array(recent[end...]) }
        }
        return recent
    }
}

extension GRU4RecModel.SessionState {
    enum CodingKeys: String, CodingKey {
        case hidden, lastTime, items
    }

    /// Decodes a state; models saved before states kept their items decode with none.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        hidden = try container.decode([Float].self, forKey: .hidden)
        lastTime = try container.decode(Double.self, forKey: .lastTime)
        items = try container.decodeIfPresent([Int].self, forKey: .items) ?? []
    }
}
