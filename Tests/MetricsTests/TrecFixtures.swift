/// The small TREC run and qrels cross-checked against trec_eval in TrecReferenceTests.
/// scripts/metrics_reference.py reads these two literals from this file, so keep their shape.
enum TrecFixtures {
    /// A run: ties, negative scores, a run-only query (5), short lists.
    static let run = """
        1 Q0 d1 1 3.5 sys
        1 Q0 d2 2 2.0 sys
        1 Q0 d3 3 2.0 sys
        1 Q0 d4 4 1.0 sys
        1 Q0 d5 5 0.5 sys
        1 Q0 d6 6 0.4 sys
        1 Q0 d7 7 0.3 sys
        2 Q0 x9 1 10 sys
        2 Q0 x1 2 9 sys
        2 Q0 x2 3 9 sys
        2 Q0 x10 4 9 sys
        3 Q0 a 1 1 sys
        3 Q0 b 2 0.9 sys
        5 Q0 q 1 1 sys
        10 Q0 z1 1 -1.5 sys
        10 Q0 z2 2 -0.5 sys
        10 Q0 z3 3 -2.5 sys
        """

    /// Judgements: graded, relevant items never retrieved, a query with none relevant (3), a judged
    /// query absent from the run (4), a negative (unjudged in pool) grade.
    static let qrels = """
        1 0 d1 0
        1 0 d2 1
        1 0 d3 2
        1 0 d6 1
        1 0 d8 3
        2 0 x1 1
        2 0 x10 2
        2 0 x2 0
        3 0 a 0
        3 0 b 0
        4 0 m 1
        4 0 n 2
        10 0 z1 1
        10 0 z3 3
        10 0 z9 -1
        """
}
