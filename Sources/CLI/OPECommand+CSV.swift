import Foundation
import Metrics
import Storage

/// Logged bandit data from a CSV file for `abctl ope --csv`: one decision per row with the action
/// taken, the reward, the logging propensity, optional position and context features (`x_*`
/// columns or `--features`), and optionally the candidate's probabilities in `pi_<action>` columns.
///
/// Every row is checked before anything is computed; the decisions are then decoded again for each
/// pass, so no row is kept in memory (only the file's bytes).
struct OPECSVInput {
    /// Which columns hold what.
    struct Columns {
        var action = "action"
        var reward = "reward"
        var propensity = "propensity"
        var position = "position"
        /// Feature columns; nil means every column whose name starts with `x_`.
        var features: [String]?
    }

    let path: String
    private let bytes: [UInt8]
    private let actionColumn: Int
    private let rewardColumn: Int
    private let propensityColumn: Int
    private let positionColumn: Int?
    let featureColumns: [Int]
    let featureNames: [String]
    /// `pi_<action>` columns by action label (used when the candidate is `columns`).
    private let candidateColumns: [String: Int]
    private let fixedCandidate: [String: Double]?
    private let positionFilter: String?
    /// Action labels in index order: numeric order when every label is an integer, else text order.
    private(set) var actions: [String] = []
    private var actionIndex: [String: Int] = [:]
    /// Decisions that pass the position filter.
    private(set) var count = 0

    /// Reads and checks the whole file; throws `OPEInputError` naming the line and column of the
    /// first bad value.
    init(path: String, columns: Columns, candidate: OPECandidate?, position: String?) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OPEInputError("cannot read CSV file \(path); check the path and permissions")
        }
        bytes = [UInt8](data)
        var reader = DelimitedReader(bytes: bytes)
        guard let header = try Self.next(&reader, path: path)?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw OPEInputError("\(path) is empty; it needs a header row and at least one decision")
        }
        func column(_ name: String, flag: String) throws -> Int {
            guard let index = header.firstIndex(of: name) else {
                throw OPEInputError("\(path): no column '\(name)'; the header has \(header.joined(separator: ", ")); name the column with \(flag)")
            }
            return index
        }
        actionColumn = try column(columns.action, flag: "--action-column")
        rewardColumn = try column(columns.reward, flag: "--reward-column")
        propensityColumn = try column(columns.propensity, flag: "--propensity-column")
        positionColumn = header.firstIndex(of: columns.position)
        if position != nil && positionColumn == nil {
            throw OPEInputError("\(path): --position needs a '\(columns.position)' column; name it with --position-column")
        }
        featureNames = columns.features ?? header.filter { $0.hasPrefix("x_") }
        featureColumns = try featureNames.map { try column($0, flag: "--features") }
        var piColumns: [String: Int] = [:]
        for (index, name) in header.enumerated() where name.hasPrefix("pi_") { piColumns[String(name.dropFirst(3))] = index }
        switch candidate {
        case .columns?, nil:
            guard !piColumns.isEmpty else {
                throw OPEInputError("\(path) has no pi_<action> columns; give the candidate with --candidate action:NAME or weights:a=0.2,b=0.8")
            }
            fixedCandidate = nil
        case .spec?, .strategy?, .model?:
            throw OPEInputError(
                "--candidate \(candidate?.description ?? "") evaluates an experiment; with --csv give action:NAME, weights:… or pi_ columns"
            )
        case let fixed?:
            fixedCandidate = fixed.fixedWeights
        }
        candidateColumns = fixedCandidate == nil ? piColumns : [:]
        positionFilter = position
        try checkRows()
    }

    private static func next(_ reader: inout DelimitedReader, path: String) throws -> DelimitedReader.Record? {
        do {
            return try reader.next()
        } catch {
            throw OPEInputError("\(path):\(error.line): \(error.message)")
        }
    }

    /// The first pass: every value parsed and checked, the action labels collected.
    private mutating func checkRows() throws {
        var labels = Set(candidateColumns.keys).union(fixedCandidate?.keys ?? [String: Double]().keys)
        var reader = DelimitedReader(bytes: bytes)
        _ = try Self.next(&reader, path: path)
        var rows = 0
        while let record = try Self.next(&reader, path: path) {
            guard let row = try parse(record) else { continue }
            labels.insert(row.action)
            rows += 1
        }
        guard rows > 0 else {
            throw OPEInputError("\(path) has no decisions" + (positionFilter.map { " at position \($0)" } ?? ""))
        }
        count = rows
        let numeric = labels.allSatisfy { Int($0) != nil }
        actions = numeric ? labels.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) } : labels.sorted()
        actionIndex = Dictionary(uniqueKeysWithValues: actions.enumerated().map { ($1, $0) })
    }

    private struct Row {
        var action: String
        var reward: Double
        var propensity: Double
        var context: [Double]
        var candidate: [String: Double]?
    }

    /// One record checked; nil when it is at another position than the filter's.
    private func parse(_ record: DelimitedReader.Record) throws -> Row? {
        func fail(_ column: Int, _ message: String) -> OPEInputError {
            OPEInputError("\(path):\(record.line): column '\(columnName(column))': \(message); nothing was computed")
        }
        func field(_ column: Int) throws -> String {
            guard column < record.fields.count else { throw fail(column, "the row has only \(record.fields.count) fields") }
            return record.fields[column].trimmingCharacters(in: .whitespaces)
        }
        func number(_ column: Int) throws -> Double {
            let text = try field(column)
            guard let value = Double(text), value.isFinite else { throw fail(column, "'\(text)' is not a number") }
            return value
        }
        if let positionColumn, let positionFilter, try field(positionColumn) != positionFilter { return nil }
        let action = try field(actionColumn)
        guard !action.isEmpty else { throw fail(actionColumn, "the action is empty") }
        let reward = try number(rewardColumn)
        let propensity = try number(propensityColumn)
        guard propensity > 0 && propensity <= 1 else {
            throw fail(propensityColumn, "propensity \(propensity) is not in (0, 1]; it must be the logging probability of the action taken")
        }
        let context = try featureColumns.map(number)
        var candidate: [String: Double]?
        if !candidateColumns.isEmpty {
            var distribution: [String: Double] = [:]
            for (label, column) in candidateColumns {
                let probability = try number(column)
                guard probability >= 0 && probability <= 1 else { throw fail(column, "probability \(probability) is not in [0, 1]") }
                distribution[label] = probability
            }
            let total = distribution.values.reduce(0, +)
            guard abs(total - 1) < 1e-6 else {
                throw OPEInputError("\(path):\(record.line): the pi_ columns sum to \(total), not 1; nothing was computed")
            }
            candidate = distribution
        }
        return Row(action: action, reward: reward, propensity: propensity, context: context, candidate: candidate)
    }

    private func columnName(_ column: Int) -> String {
        var reader = DelimitedReader(bytes: bytes)
        let header = (try? reader.next())?.fields ?? []
        return column < header.count ? header[column] : "#\(column + 1)"
    }

    /// Calls `body` with every decision (keyed by its line, for the bootstrap), in file order.
    func stream(_ body: (LoggedDecision, UInt64) throws -> Void) throws {
        let fixed = fixedCandidate.map { weights in
            let total = weights.values.reduce(0, +)
            return actions.map { (weights[$0] ?? 0) / total }
        }
        var reader = DelimitedReader(bytes: bytes)
        _ = try Self.next(&reader, path: path)
        while let record = try Self.next(&reader, path: path) {
            guard let row = try parse(record), let action = actionIndex[row.action] else { continue }
            let distribution = fixed ?? actions.map { row.candidate?[$0] ?? 0 }
            let decision = LoggedDecision(
                context: row.context,
                action: action,
                reward: row.reward,
                loggingPropensity: row.propensity,
                candidateDistribution: distribution
            )
            try body(decision, UInt64(record.line))
        }
    }
}

/// Input `abctl ope` cannot use, said in one sentence with where and what to do.
struct OPEInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
