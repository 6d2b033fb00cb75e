/// Which query ids a run and its qrels share. trec_eval evaluates only the shared ones (and, with
/// `-c`, the judged ones the run lacks), so a run whose ids do not match the qrels at all, say
/// from a typo or a different id scheme, evaluates nothing; abctl refuses it instead of printing
/// means of 0 (`check()`).
public struct TrecQueryOverlap: Sendable, Hashable {
    /// Query ids in both files, in output order.
    public let shared: [String]
    /// Query ids of the run without any judgement (ignored, as in trec_eval), in output order.
    public let onlyInRun: [String]
    /// Query ids judged in the qrels but absent from the run (skipped, or 0 with `-c`), in output order.
    public let onlyInQrels: [String]

    public init(run: TrecRun, qrels: Qrels) {
        let runQueries = Set(run.entriesByQuery.keys)
        let judgedQueries = Set(qrels.gradesByQuery.keys)
        func ordered(_ ids: Set<TrecIdentifier>) -> [String] {
            ids.map(\.text).sorted(by: TrecEvaluation.queryPrecedes)
        }
        shared = ordered(runQueries.intersection(judgedQueries))
        onlyInRun = ordered(runQueries.subtracting(judgedQueries))
        onlyInQrels = ordered(judgedQueries.subtracting(runQueries))
    }

    /// Fails when the run and the qrels share no query id, naming a few ids of each file.
    public func check(runFile: String, qrelsFile: String) throws(TrecQueryMismatch) {
        guard shared.isEmpty else { return }
        throw TrecQueryMismatch(runFile: runFile, qrelsFile: qrelsFile, runQueries: onlyInRun, judgedQueries: onlyInQrels)
    }

    /// A one-line note on the queries left out, or nil when every query of both files is shared.
    public func note(countingMissingAsZero: Bool) -> String? {
        var parts: [String] = []
        if !onlyInRun.isEmpty {
            let verbs = onlyInRun.count == 1 ? "has no judgement and is" : "have no judgement and are"
            parts.append("\(onlyInRun.count) of the run's queries \(verbs) ignored (\(Self.sample(onlyInRun)))")
        }
        if !onlyInQrels.isEmpty {
            let one = onlyInQrels.count == 1
            let fate =
                countingMissingAsZero
                ? (one ? "scores 0 (-c)" : "score 0 (-c)") : (one ? "is skipped (-c scores it 0)" : "are skipped (-c scores them 0)")
            parts.append(
                "\(Self.queries(onlyInQrels.count, "judged")) \(one ? "is" : "are") not in the run and \(fate) (\(Self.sample(onlyInQrels)))"
            )
        }
        return parts.isEmpty ? nil : "note: " + parts.joined(separator: "; ")
    }

    /// "1 query", "2 queries", with an adjective before the noun when given.
    static func queries(_ count: Int, _ adjective: String = "") -> String {
        "\(count) " + (adjective.isEmpty ? "" : adjective + " ") + (count == 1 ? "query" : "queries")
    }

    /// Up to three ids, quoted, with an ellipsis when there are more.
    static func sample(_ ids: [String]) -> String {
        let shown = ids.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
        return ids.count > 3 ? shown + ", …" : shown
    }
}

/// A run and qrels without a query id in common: nothing would be evaluated.
public struct TrecQueryMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public let runFile: String
    public let qrelsFile: String
    /// The run's query ids, in output order.
    public let runQueries: [String]
    /// The qrels' query ids, in output order.
    public let judgedQueries: [String]

    public var description: String {
        let run = runQueries.isEmpty ? "no query" : "\(TrecQueryOverlap.queries(runQueries.count)) (\(TrecQueryOverlap.sample(runQueries)))"
        let judged =
            judgedQueries.isEmpty ? "no query" : "\(TrecQueryOverlap.queries(judgedQueries.count)) (\(TrecQueryOverlap.sample(judgedQueries)))"
        return "\(runFile) and \(qrelsFile) share no query id: the run has \(run), the qrels have \(judged); "
            + "check that both files use the same query ids"
    }
}
