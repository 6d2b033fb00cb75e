/// A TREC run file: for each query, the documents a system retrieved with their scores
/// (`qid Q0 docno rank score tag`, one per line).
public struct TrecRun: Sendable {
    /// One retrieved document of one query.
    public struct Entry: Sendable, Hashable {
        /// The document identifier.
        public let docno: String
        /// The system's score; higher ranks first.
        public let score: Double

        public init(docno: String, score: Double) {
            self.docno = docno
            self.score = score
        }
    }

    /// The entries of each query in file order.
    public private(set) var entriesByQuery: [String: [Entry]]

    /// A run from entries already grouped by query.
    public init(entriesByQuery: [String: [Entry]]) {
        self.entriesByQuery = entriesByQuery
    }

    /// The documents of `query` in trec_eval's order: score descending, ties broken by docno
    /// descending in byte order (trec_eval `form_res_rels.c`, `comp_sim_docno`); the rank column
    /// is ignored, as trec_eval ignores it. Empty for an unknown query.
    public func rankedDocnos(for query: String) -> [String] {
        guard let entries = entriesByQuery[query] else { return [] }
        return entries.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            return b.docno.utf8.lexicographicallyPrecedes(a.docno.utf8)
        }.map(\.docno)
    }

    /// Parses run text. Fails on the first line without six fields, with a score that is not a
    /// number, or repeating a docno already listed for the same query (trec_eval refuses those too).
    /// - Parameter file: the name used in error messages.
    public static func parse(_ text: String, file: String) throws(TrecFormatError) -> TrecRun {
        var entries: [String: [Entry]] = [:]
        var firstLines: [String: [String: Int]] = [:]
        // Runs list a query's documents together: keep the current query's state out of the
        // dictionaries until the query changes, so most lines touch no outer dictionary.
        var currentQuery: String? = nil
        var currentEntries: [Entry] = []
        var currentLines: [String: Int] = [:]
        func flush() {
            guard let query = currentQuery else { return }
            entries[query] = currentEntries
            firstLines[query] = currentLines
        }
        try TrecLines.forEach(in: text) { (line, fields) throws(TrecFormatError) in
            guard fields.count == 6 else {
                throw TrecFormatError(
                    file: file,
                    line: line,
                    message: "expected 6 fields 'qid Q0 docno rank score tag', found \(fields.count)"
                )
            }
            let scoreText = fields.string(4)
            guard let score = Double(scoreText), score.isFinite else {
                throw TrecFormatError(file: file, line: line, message: "field 5 (score) '\(scoreText)' is not a finite number")
            }
            if currentQuery == nil || !fields.field(0, equals: currentQuery ?? "") {
                flush()
                let query = fields.string(0)
                currentQuery = query
                currentEntries = entries.removeValue(forKey: query) ?? []
                currentLines = firstLines.removeValue(forKey: query) ?? [:]
            }
            let docno = fields.string(2)
            if let previous = currentLines.updateValue(line, forKey: docno) {
                throw TrecFormatError(
                    file: file,
                    line: line,
                    message: "field 3 (docno) '\(docno)' repeats for query '\(currentQuery ?? "")' (first on line \(previous))"
                )
            }
            currentEntries.append(Entry(docno: docno, score: score))
        }
        flush()
        return TrecRun(entriesByQuery: entries)
    }
}
