/// A TREC run file: for each query, the documents a system retrieved with their scores
/// (`qid Q0 docno rank score tag`, one per line).
public struct TrecRun: Sendable {
    /// One retrieved document of one query.
    public struct Entry: Sendable, Hashable {
        /// The document identifier.
        public let docno: TrecIdentifier
        /// The system's score as written; higher ranks first. Ranking uses it rounded to a
        /// 32-bit `Float`, as trec_eval stores it (`rankingScore`).
        public let score: Double

        /// The score trec_eval ranks by: its `TEXT_RESULTS.sim` is a C `float`, so scores that
        /// differ only beyond single precision (1.00000001 and 1.0) tie there, and the tie is
        /// broken by docno. Parsed as a double first and then rounded, as trec_eval's `atof`.
        public var rankingScore: Float { Float(score) }

        public init(docno: TrecIdentifier, score: Double) {
            self.docno = docno
            self.score = score
        }
    }

    /// The entries of each query in file order.
    public private(set) var entriesByQuery: [TrecIdentifier: [Entry]]

    /// A run from entries already grouped by query.
    public init(entriesByQuery: [TrecIdentifier: [Entry]]) {
        self.entriesByQuery = entriesByQuery
    }

    /// The documents of `query` in trec_eval's order: score (as a 32-bit float, `rankingScore`)
    /// descending, ties broken by docno descending in byte order (trec_eval `form_res_rels.c`,
    /// `comp_sim_docno`); the rank column is ignored, as trec_eval ignores it. Empty for an
    /// unknown query.
    public func rankedDocnos(for query: TrecIdentifier) -> [TrecIdentifier] {
        guard let entries = entriesByQuery[query] else { return [] }
        return entries.sorted { a, b in
            let (x, y) = (a.rankingScore, b.rankingScore)
            if x != y { return x > y }
            return b.docno < a.docno
        }.map(\.docno)
    }

    /// Parses run text. Fails on the first line without six fields, with a score that is not a
    /// number, or repeating a docno already listed for the same query (trec_eval refuses those too).
    /// - Parameter file: the name used in error messages.
    public static func parse(_ text: String, file: String) throws(TrecFormatError) -> TrecRun {
        var entries: [TrecIdentifier: [Entry]] = [:]
        var firstLines: [TrecIdentifier: [TrecIdentifier: Int]] = [:]
        // Runs list a query's documents together: keep the current query's state out of the
        // dictionaries until the query changes, so most lines touch no outer dictionary.
        var currentQuery: TrecIdentifier? = nil
        var currentEntries: [Entry] = []
        var currentLines: [TrecIdentifier: Int] = [:]
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
            if currentQuery == nil || !fields.field(0, equals: currentQuery?.text ?? "") {
                flush()
                let query = TrecIdentifier(fields.string(0))
                currentQuery = query
                currentEntries = entries.removeValue(forKey: query) ?? []
                currentLines = firstLines.removeValue(forKey: query) ?? [:]
            }
            let docno = TrecIdentifier(fields.string(2))
            if let previous = currentLines.updateValue(line, forKey: docno) {
                throw TrecFormatError(
                    file: file,
                    line: line,
                    message: "field 3 (docno) '\(docno)' repeats for query '\(currentQuery?.text ?? "")' (first on line \(previous))"
                )
            }
            currentEntries.append(Entry(docno: docno, score: score))
        }
        flush()
        return TrecRun(entriesByQuery: entries)
    }
}
