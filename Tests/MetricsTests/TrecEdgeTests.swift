import Testing

@testable import Metrics

/// Where trec_eval's C types decide the answer: scores held as 32-bit floats, ids compared as
/// bytes, and a run whose query ids match none of the qrels.
struct TrecEdgeTests {
    /// trec_eval keeps a score in a C `float`: 1.00000001 and 0.99999999 both round to 1.0f, so the
    /// three documents tie and rank by docno descending, c, b, a. With a relevant, a is third:
    /// reciprocal rank 1/3 (in double precision it would rank first, 1). pytrec_eval (trec_eval 9)
    /// gives recip_rank 0.3333333333333333 on these lines (scripts/metrics_reference.py --edges).
    @Test func scoresEqualInSinglePrecisionTieAndRankByDocno() throws {
        let run = try TrecRun.parse("q Q0 a 1 1.00000001 t\nq Q0 b 2 1.0 t\nq Q0 c 3 0.99999999 t\n", file: "r")
        #expect(run.rankedDocnos(for: "q") == ["c", "b", "a"])
        let qrels = try Qrels.parse("q 0 a 1\n", file: "q")
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: .init(metrics: [.reciprocalRank]))
        #expect(evaluation.means == [1.0 / 3.0])
    }

    /// Scores that differ in single precision keep their order: 1.0000001 is the float above 1.
    @Test func scoresDistinctInSinglePrecisionKeepTheirOrder() throws {
        let run = try TrecRun.parse("q Q0 a 1 1.0000001 t\nq Q0 b 2 1.0 t\n", file: "r")
        #expect(run.rankedDocnos(for: "q") == ["a", "b"])
    }

    static let precomposed = "caf\u{E9}"  // C3 A9
    static let decomposed = "cafe\u{301}"  // 65 CC 81

    /// The two spellings are one String to Swift but two docnos to trec_eval: a run may list both.
    @Test func docnosDifferingOnlyInNormalisationAreTwoDocuments() throws {
        #expect(Self.precomposed == Self.decomposed)  // what Swift's String equality says
        #expect(TrecIdentifier(Self.precomposed) != TrecIdentifier(Self.decomposed))
        let run = try TrecRun.parse("q Q0 \(Self.decomposed) 1 2 t\nq Q0 \(Self.precomposed) 2 1 t\n", file: "r")
        #expect(run.entriesByQuery["q"]?.count == 2)
        // Only the precomposed form is judged, and it ranks second: reciprocal rank 1/2.
        let qrels = try Qrels.parse("q 0 \(Self.precomposed) 1\n", file: "q")
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: .init(metrics: [.reciprocalRank, .precision(1)]))
        #expect(evaluation.means == [0.5, 0])
    }

    /// A judgement in one form does not match a retrieved document in the other.
    @Test func judgementInOneFormDoesNotMatchTheOther() throws {
        let run = try TrecRun.parse("q Q0 \(Self.decomposed) 1 2 t\n", file: "r")
        let qrels = try Qrels.parse("q 0 \(Self.precomposed) 1\nq 0 \(Self.decomposed) 0\n", file: "q")
        #expect(qrels.gradesByQuery["q"]?.count == 2)
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: .init(metrics: [.reciprocalRank]))
        #expect(evaluation.means == [0])
    }

    /// Query ids match by bytes too.
    @Test func queryIdsDifferingOnlyInNormalisationDoNotMatch() throws {
        let run = try TrecRun.parse("\(Self.decomposed) Q0 a 1 1 t\n", file: "r")
        let qrels = try Qrels.parse("\(Self.precomposed) 0 a 1\n", file: "q")
        #expect(TrecQueryOverlap(run: run, qrels: qrels).shared.isEmpty)
    }

    @Test func runSharingNoQueryWithQrelsIsRefusedNamingBoth() throws {
        let run = try TrecRun.parse("q1 Q0 a 1 1 t\nq2 Q0 a 1 1 t\n", file: "r")
        let qrels = try Qrels.parse("1 0 a 1\n2 0 a 1\n3 0 a 1\n4 0 a 1\n", file: "q")
        let overlap = TrecQueryOverlap(run: run, qrels: qrels)
        #expect(overlap.shared.isEmpty && overlap.onlyInRun == ["q1", "q2"] && overlap.onlyInQrels == ["1", "2", "3", "4"])
        #expect(throws: TrecQueryMismatch.self) { try overlap.check(runFile: "run.txt", qrelsFile: "qrels.txt") }
        do {
            try overlap.check(runFile: "run.txt", qrelsFile: "qrels.txt")
        } catch {
            #expect(
                error.description
                    == "run.txt and qrels.txt share no query id: the run has 2 queries ('q1', 'q2'), the qrels have 4 queries ('1', '2', '3', …); check that both files use the same query ids"
            )
        }
    }

    @Test func partialOverlapIsNotedNotRefused() throws {
        let run = try TrecRun.parse("1 Q0 a 1 1 t\n9 Q0 a 1 1 t\n", file: "r")
        let qrels = try Qrels.parse("1 0 a 1\n2 0 a 1\n", file: "q")
        let overlap = TrecQueryOverlap(run: run, qrels: qrels)
        try overlap.check(runFile: "r", qrelsFile: "q")
        #expect(overlap.shared == ["1"])
        #expect(
            overlap.note(countingMissingAsZero: false)
                == "note: 1 of the run's queries has no judgement and is ignored ('9'); 1 judged query is not in the run and is skipped (-c scores it 0) ('2')"
        )
        let full = TrecQueryOverlap(run: run, qrels: try Qrels.parse("1 0 a 1\n9 0 b 0\n", file: "q"))
        #expect(full.note(countingMissingAsZero: false) == nil)
    }
}
