import PostgresClient

/// Writes a batch so that a row PostgreSQL refuses cannot hold back the others: when a write
/// fails because of the data (a value PostgreSQL cannot store, a violated constraint), the
/// batch is halved and each half written on its own, recursively, until every good row is
/// stored and each bad row has failed alone. Halving rather than going row by row keeps the
/// common case cheap: one bad row among n costs about 2·log2(n) writes (26 for 5000), where
/// one by one would cost n round trips; k bad rows cost O(k·log n).
///
/// Any other failure (PostgreSQL unreachable, out of disk, a timeout, a missing table) is
/// nobody's row: the write stops there and reports the rest as unwritten, to be retried or
/// spooled whole, so an outage never sends good rows to the dead-letter file.
enum ImpressionRefusals {
    /// What writing one batch did.
    struct Outcome<Row> {
        /// Rows the writes reported as stored.
        var written = 0
        /// Rows that failed on their own for a reason in the row, with PostgreSQL's error, in batch order.
        var refused: [(row: Row, error: any Error)] = []
        /// The rows from the part that failed for another reason on, in order; empty when none did.
        /// The first of those parts may have been stored (a connection lost during COMMIT).
        var unwritten: ArraySlice<Row> = []
        /// The error that stopped the write, if one did.
        var failure: (any Error)?
    }

    /// Whether `error` is PostgreSQL refusing the data itself: a value it cannot encode (a NUL
    /// byte), a data exception (SQLSTATE class 22), an integrity constraint violation (23) or a
    /// program limit exceeded by a value (54). Retrying such a write can never succeed.
    static func isRefusal(_ error: any Error) -> Bool {
        guard let error = error as? PostgresError else { return false }
        if error.kind == .encoding { return true }
        guard error.kind == .server, let state = error.sqlState else { return false }
        return ["22", "23", "54"].contains(state.prefix(2))
    }

    /// Writes `batch` with `write`, which gets a part of the batch and whether it is a retry
    /// (a half of a part that failed; such writes should be idempotent), and returns how many
    /// rows it stored. `isRefusal` tells errors in the data from the others.
    static func write<Row>(
        _ batch: ArraySlice<Row>,
        isRefusal: (any Error) -> Bool = ImpressionRefusals.isRefusal,
        with write: (_ part: ArraySlice<Row>, _ isRetry: Bool) async throws -> Int
    ) async -> Outcome<Row> {
        var outcome = Outcome<Row>()
        // Parts still to write; the last is next, and together they are the rest of the batch in order.
        var pending: [Range<Int>] = batch.isEmpty ? [] : [batch.indices]
        var isRetry = false
        while let part = pending.popLast() {
            do {
                outcome.written += try await write(batch[part], isRetry)
            } catch let error where isRefusal(error) {
                if part.count == 1 {
                    outcome.refused.append((batch[part.lowerBound], error))
                } else {
                    let middle = part.lowerBound + part.count / 2
                    pending.append(middle..<part.upperBound)
                    pending.append(part.lowerBound..<middle)
                }
            } catch {
                outcome.unwritten = batch[part.lowerBound...]
                outcome.failure = error
                return outcome
            }
            isRetry = true
        }
        return outcome
    }
}
