import ArgumentParser
import Foundation
import Metrics

/// `abctl eval`: offline evaluation of ranked lists with trec_eval-compatible metrics.
///
/// Today it evaluates a TREC run against TREC qrels. The inputs sit in their own option group so a
/// second mode (a strategy spec evaluated on a leave-last-out or time split: `--spec`, `--strategy`,
/// `--split`) can be added beside `--run/--qrels` later; metric, cutoff and output flags are shared.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a ranked run against relevance judgements (P@K, NDCG@K, MAP@K, MRR, recall@K, hit@K).",
        discussion: """
            Definitions follow trec_eval 9 (see docs/metrics.md): documents are ordered by score rounded to a
            32-bit float, as trec_eval stores it, ties by docno descending in byte order; query ids and docnos
            match byte for byte (no Unicode normalisation); P@K divides by K; NDCG@K uses linear gain and the
            ideal order of all judged documents; MAP@K divides by all relevant documents. Queries in the qrels
            but not in the run are skipped unless --count-missing-queries (trec_eval -c) scores them 0; a note
            on standard error counts the queries left out, and a run sharing no query id with the qrels is an
            error.

            With --strategy/--spec, --split leave-last-out holds out each unit's last interaction by time;
            interactions at the same time are ordered as they were imported (the interactions table's
            import_order), so the held-out one is the last of them in the file.
            """
    )

    @OptionGroup(title: "Input: a TREC run and qrels")
    var trecInput: TrecInputOptions

    @OptionGroup(title: "Input: strategies on the interactions in PostgreSQL")
    var strategyInput: StrategyEvaluationOptions

    @OptionGroup(title: "Metrics")
    var metricOptions: MetricSelectionOptions

    @OptionGroup(title: "Output")
    var output: EvalOutputOptions

    func validate() throws {
        let trecMode = trecInput.run != nil || trecInput.qrels != nil
        guard trecMode != strategyInput.isSelected else {
            throw ValidationError("give either --run FILE and --qrels FILE, or --strategy/--spec to evaluate strategies, not both")
        }
        if strategyInput.isSelected {
            _ = try metricOptions.selectedMetrics()
            return
        }
        guard trecInput.run != nil, trecInput.qrels != nil else {
            throw ValidationError("give both --run FILE and --qrels FILE")
        }
        _ = try metricOptions.selectedMetrics()
        guard metricOptions.relevanceThreshold >= 1 else {
            throw ValidationError("--relevance-threshold must be at least 1; grades of 0 or less are never relevant")
        }
    }

    func run() throws {
        if strategyInput.isSelected {
            print(
                try strategyInput.evaluate(
                    metrics: try metricOptions.selectedMetrics(),
                    cutoffs: try metricOptions.parsedCutoffs(),
                    format: output.format
                )
            )
            return
        }
        do {
            print(try evaluate(), terminator: "")
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Reads the inputs, evaluates and renders the report; errors print as one actionable sentence.
    func evaluate() throws -> String {
        guard let runPath = trecInput.run, let qrelsPath = trecInput.qrels else {
            throw ValidationError("give both --run FILE and --qrels FILE")
        }
        let run = try TrecRun.parse(Self.readText(runPath, role: "run"), file: runPath)
        let qrels = try Qrels.parse(Self.readText(qrelsPath, role: "qrels"), file: qrelsPath)
        let overlap = TrecQueryOverlap(run: run, qrels: qrels)
        try overlap.check(runFile: runPath, qrelsFile: qrelsPath)
        if let note = overlap.note(countingMissingAsZero: trecInput.countMissingQueries) {
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }
        let options = TrecEvaluationOptions(
            metrics: try metricOptions.selectedMetrics(),
            gain: metricOptions.gain,
            relevanceThreshold: metricOptions.relevanceThreshold,
            countMissingQueriesAsZero: trecInput.countMissingQueries
        )
        let evaluation = TrecEvaluation(run: run, qrels: qrels, options: options)
        return TrecEvaluationReport(evaluation: evaluation, includesPerQuery: output.perQuery).rendered(as: output.format)
    }

    /// The whole text of a file, or an error naming the file and its role.
    static func readText(_ path: String, role: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw EvalInputError(message: "cannot read \(role) file \(path): \(error.localizedDescription)")
        }
    }
}

/// An input file `abctl eval` cannot read.
struct EvalInputError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `--run` and `--qrels`: the TREC mode's inputs.
struct TrecInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("TREC run file: qid Q0 docno rank score tag.", valueName: "FILE"))
    var run: String?

    @Option(help: ArgumentHelp("TREC qrels file: qid iter docno rel.", valueName: "FILE"))
    var qrels: String?

    @Flag(name: [.customShort("c"), .long], help: "Score queries judged in the qrels but absent from the run as 0 (trec_eval -c).")
    var countMissingQueries = false
}

/// `--metrics`, `--k`, `--gain`, `--relevance-threshold`: what to compute, shared by every mode.
struct MetricSelectionOptions: ParsableArguments {
    @Option(name: .customLong("metrics"), help: "Comma-separated metrics: p, ndcg, map, mrr, recall, hit, dcg.")
    var metricNames = "p,ndcg,map,mrr,recall,hit"

    @Option(name: .customLong("k"), help: "Cutoff K; repeat or give a comma list (default 10).")
    var cutoffs: [String] = []

    @Option(help: "DCG gain: linear (grade, trec_eval) or exponential (2^grade - 1).")
    var gain: Gain = .linear

    @Option(help: "Smallest grade that counts as relevant (trec_eval -l).")
    var relevanceThreshold = 1

    /// The cutoffs as integers, in the order given, without repeats; 10 when none is given.
    func parsedCutoffs() throws -> [Int] {
        var result: [Int] = []
        for piece in cutoffs.flatMap({ $0.split(separator: ",") }) {
            let text = piece.trimmingCharacters(in: .whitespaces)
            guard let k = Int(text), k > 0 else { throw ValidationError("--k '\(text)' is not a positive integer") }
            if !result.contains(k) { result.append(k) }
        }
        return result.isEmpty ? [10] : result
    }

    /// The metrics to compute: every family at every cutoff, in the order the families were named.
    func selectedMetrics() throws -> [RankingMetric] {
        let families: [RankingMetricFamily]
        do {
            families = try RankingMetricFamily.parseList(metricNames)
        } catch {
            throw ValidationError(error.description)
        }
        guard !families.isEmpty else { throw ValidationError("--metrics names no metric") }
        let cutoffs = try parsedCutoffs()
        return families.flatMap { $0.metrics(cutoffs: cutoffs) }
    }
}

extension Gain: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}

/// `--format` and `--per-query`.
struct EvalOutputOptions: ParsableArguments {
    @Option(help: "Output format: table, json or csv.")
    var format: ReportFormat = .table

    @Flag(help: "Print every query's values as well as the mean.")
    var perQuery = false
}
