import Testing

@testable import Metrics

/// Run and qrels parsing: the happy path and errors that name the file, line and field.
struct TrecParsingTests {
    @Test func parsesRunWithTabsBlankLinesAndCarriageReturns() throws {
        let run = try TrecRun.parse("q1 Q0 a 1 2.5 tag\r\n\n q1\tQ0\tb 2 1e0 tag\nq2 Q0 a 1 -3 tag", file: "r")
        #expect(run.entriesByQuery["q1"] == [.init(docno: "a", score: 2.5), .init(docno: "b", score: 1)])
        #expect(run.rankedDocnos(for: "q2") == ["a"])
        #expect(run.rankedDocnos(for: "nope") == [])
    }

    @Test(arguments: [
        ("q1 Q0 a 1 2.5 tag\nq1 Q0 b 2 tag\n", "run.txt:2: expected 6 fields 'qid Q0 docno rank score tag', found 5"),
        ("q1 Q0 a 1 high tag\n", "run.txt:1: field 5 (score) 'high' is not a finite number"),
        ("q1 Q0 a 1 nan tag\n", "run.txt:1: field 5 (score) 'nan' is not a finite number"),
        ("q1 Q0 a 1 1 t\nq2 Q0 a 1 1 t\n\nq1 Q0 a 2 0.5 t\n", "run.txt:4: field 3 (docno) 'a' repeats for query 'q1' (first on line 1)"),
    ])
    func malformedRunNamesLineAndField(text: String, message: String) {
        #expect(throws: TrecFormatError.self) { try TrecRun.parse(text, file: "run.txt") }
        do {
            _ = try TrecRun.parse(text, file: "run.txt")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        ("1 0 a 1\n1 0 b\n", "q.txt:2: expected 4 fields 'qid iter docno rel', found 3"),
        ("1 0 a 1.5\n", "q.txt:1: field 4 (rel) '1.5' is not an integer"),
        ("1 0 a 1\n1 0 a 0\n", "q.txt:2: field 3 (docno) 'a' is judged twice for query '1' (first on line 1)"),
    ])
    func malformedQrelsNamesLineAndField(text: String, message: String) {
        do {
            _ = try Qrels.parse(text, file: "q.txt")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func parsesQrelsGradesIncludingNegative() throws {
        let qrels = try Qrels.parse("7 0 a 2\n7 0 b -1\n8 Q0 c 0\n", file: "q")
        #expect(qrels.gradesByQuery == ["7": ["a": 2, "b": -1], "8": ["c": 0]])
    }
}
