/// TREC relevance judgements (`qid iter docno rel`, one per line): the grade of each judged
/// document of each query. Negative grades mark pooled but unjudged documents, as in trec_eval.
/// Query ids and docnos match by their bytes, as in trec_eval (`TrecIdentifier`).
public struct Qrels: Sendable {
    /// Grade of each judged document, by query.
    public private(set) var gradesByQuery: [TrecIdentifier: [TrecIdentifier: Int]]

    /// Judgements from grades already grouped by query.
    public init(gradesByQuery: [TrecIdentifier: [TrecIdentifier: Int]]) {
        self.gradesByQuery = gradesByQuery
    }

    /// Parses qrels text. Fails on the first line without four fields, with a grade that is not an
    /// integer, or judging the same document twice for one query (trec_eval refuses those too).
    /// - Parameter file: the name used in error messages.
    public static func parse(_ text: String, file: String) throws(TrecFormatError) -> Qrels {
        var grades: [TrecIdentifier: [TrecIdentifier: Int]] = [:]
        var firstLine: [TrecIdentifier: [TrecIdentifier: Int]] = [:]
        try TrecLines.forEach(in: text) { (line, fields) throws(TrecFormatError) in
            guard fields.count == 4 else {
                throw TrecFormatError(file: file, line: line, message: "expected 4 fields 'qid iter docno rel', found \(fields.count)")
            }
            let gradeText = fields.string(3)
            guard let grade = Int(gradeText) else {
                throw TrecFormatError(file: file, line: line, message: "field 4 (rel) '\(gradeText)' is not an integer")
            }
            let query = TrecIdentifier(fields.string(0))
            let docno = TrecIdentifier(fields.string(2))
            if let previous = firstLine[query, default: [:]].updateValue(line, forKey: docno) {
                throw TrecFormatError(
                    file: file,
                    line: line,
                    message: "field 3 (docno) '\(docno)' is judged twice for query '\(query)' (first on line \(previous))"
                )
            }
            grades[query, default: [:]][docno] = grade
        }
        return Qrels(gradesByQuery: grades)
    }
}
