/// TREC relevance judgements (`qid iter docno rel`, one per line): the grade of each judged
/// document of each query. Negative grades mark pooled but unjudged documents, as in trec_eval.
public struct Qrels: Sendable {
    /// Grade of each judged document, by query.
    public private(set) var gradesByQuery: [String: [String: Int]]

    /// Judgements from grades already grouped by query.
    public init(gradesByQuery: [String: [String: Int]]) {
        self.gradesByQuery = gradesByQuery
    }

    /// Parses qrels text. Fails on the first line without four fields, with a grade that is not an
    /// integer, or judging the same document twice for one query (trec_eval refuses those too).
    /// - Parameter file: the name used in error messages.
    public static func parse(_ text: String, file: String) throws(TrecFormatError) -> Qrels {
        var grades: [String: [String: Int]] = [:]
        var firstLine: [String: [String: Int]] = [:]
        try TrecLines.forEach(in: text) { (line, fields) throws(TrecFormatError) in
            guard fields.count == 4 else {
                throw TrecFormatError(file: file, line: line, message: "expected 4 fields 'qid iter docno rel', found \(fields.count)")
            }
            let gradeText = fields.string(3)
            guard let grade = Int(gradeText) else {
                throw TrecFormatError(file: file, line: line, message: "field 4 (rel) '\(gradeText)' is not an integer")
            }
            let query = fields.string(0)
            let docno = fields.string(2)
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
