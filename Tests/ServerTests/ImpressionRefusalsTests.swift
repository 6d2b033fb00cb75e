import PostgresClient
import Testing

@testable import Server

/// The halving search of `ImpressionRefusals.write`, on integers, with a write function that
/// refuses any part holding a "poison" value (as PostgreSQL refuses a whole COPY for one row).
@Suite("ImpressionRefusals halving")
struct ImpressionRefusalsTests {
    struct Refused: Error {}
    struct Unreachable: Error {}

    /// Runs the search over 0..<count; returns the outcome and the parts written, in order.
    /// A part starting at a row of `unreachable` fails as if PostgreSQL went away there.
    static func run(count: Int, poison: Set<Int>, unreachable: Set<Int> = []) async -> (ImpressionRefusals.Outcome<Int>, [Range<Int>]) {
        var attempts: [Range<Int>] = []
        let rows = Array(0..<count)
        let outcome = await ImpressionRefusals.write(
            rows[...],
            isRefusal: { $0 is Refused },
            with: { part, _ in
                attempts.append(part.startIndex..<part.endIndex)
                if let first = part.first, unreachable.contains(first) { throw Unreachable() }
                if part.contains(where: poison.contains) { throw Refused() }
                return part.count
            }
        )
        return (outcome, attempts)
    }

    @Test("one poison row among 8: found in 7 writes, the 7 others written")
    func onePoison() async {
        let (outcome, attempts) = await Self.run(count: 8, poison: [5])
        // By hand: 0..8 refused → 0..4 ok, 4..8 refused → 4..6 refused → 4..5 ok, 5..6 alone, 6..8 ok.
        #expect(attempts == [0..<8, 0..<4, 4..<8, 4..<6, 4..<5, 5..<6, 6..<8])
        #expect(outcome.written == 7)
        #expect(outcome.refused.map(\.row) == [5])
        #expect(outcome.unwritten.isEmpty)
        #expect(outcome.failure == nil)
    }

    @Test("a clean batch is one write")
    func clean() async {
        let (outcome, attempts) = await Self.run(count: 5000, poison: [])
        #expect(attempts == [0..<5000])
        #expect(outcome.written == 5000)
    }

    @Test("one poison among 5000 costs at most 2·⌈log2 5000⌉ + 1 = 27 writes")
    func logarithmic() async {
        let (outcome, attempts) = await Self.run(count: 5000, poison: [4321])
        #expect(attempts.count <= 27)
        #expect(outcome.written == 4999)
        #expect(outcome.refused.map(\.row) == [4321])
    }

    @Test("an error that is not the data's stops the search and leaves the rest, in order, unwritten; nothing of it is refused")
    func outageStops() async {
        let (outcome, _) = await Self.run(count: 8, poison: [1], unreachable: [4])
        // 0..8 refused → 0..4 refused → 0..2 refused → 0..1 ok, 1..2 alone, 2..4 ok; 4..8 unreachable.
        #expect(outcome.written == 3)
        #expect(outcome.refused.map(\.row) == [1])
        #expect(Array(outcome.unwritten) == [4, 5, 6, 7])
        #expect(outcome.failure is Unreachable)
    }

    @Test(
        "PostgreSQL errors in the data are refusals; connection, resource and schema errors are not",
        arguments: [
            (PostgresError(kind: .encoding, message: "NUL"), true),
            (PostgresError(kind: .server, message: "check", sqlState: "23514"), true),
            (PostgresError(kind: .server, message: "bad jsonb escape", sqlState: "22P05"), true),
            (PostgresError(kind: .server, message: "index row too big", sqlState: "54000"), true),
            (PostgresError(kind: .server, message: "disk full", sqlState: "53100"), false),
            (PostgresError(kind: .server, message: "no such table", sqlState: "42P01"), false),
            (PostgresError(kind: .server, message: "admin shutdown", sqlState: "57P01"), false),
            (PostgresError(kind: .connectionLost, message: "lost"), false),
            (PostgresError(kind: .connection, message: "refused"), false),
        ]
    )
    func classification(error: PostgresError, isRefusal: Bool) {
        #expect(ImpressionRefusals.isRefusal(error) == isRefusal)
    }
}
