import Foundation
import PostgresClient
import Server
import Stats

/// The simulated shop's own side of the demo, as a real shop would have it: every order goes
/// into its table `shop_orders(order_id, user_id, amount, created_at)` — the purchases the
/// recommendations led to, and orders of other products no recommendation led to (each
/// visit, with a seeded 5 % chance, 5–120 of currency ten minutes later) — and every visit
/// is sent as a `session_start` outcome event (POST /v1/outcomes' path, in process). The demo
/// spec declares revenue per user on the table (a SQL source, as a guardrail) and a 1-day
/// return-visit retention metric on the session starts.
struct DemoShop {
    /// The shop's table, readable by the role SQL sources are read as.
    static let schema = """
        CREATE TABLE shop_orders (
            order_id   text PRIMARY KEY,
            user_id    text NOT NULL,
            amount     double precision NOT NULL,
            created_at timestamptz NOT NULL
        );
        GRANT SELECT ON shop_orders TO abctl_reader;
        """

    struct Order {
        var orderID: String
        var userID: String
        var amount: Double
        var createdAt: Date
    }

    private var random: SplitMix64
    private(set) var orders: [Order] = []
    private(set) var sessions: [OutcomeEvent] = []

    init(seed: UInt64) {
        random = SplitMix64(seed: seed ^ 0x5eed_0bde_5000)
    }

    /// A visit by `unit` at `time` (request `requestID`): its session start, and maybe an
    /// order no recommendation led to.
    mutating func visit(unit: String, at time: Date, requestID: String) {
        sessions.append(OutcomeEvent(eventID: "visit-\(requestID)", unitID: unit, type: "session_start", value: nil, timestamp: time))
        if random.nextUnitDouble() < 0.05 {
            let amount = (5 + random.nextUnitDouble() * 115).rounded()
            orders.append(Order(orderID: "organic-\(requestID)", userID: unit, amount: amount, createdAt: time.addingTimeInterval(600)))
        }
    }

    /// A purchase the recommendation led to.
    mutating func purchase(eventID: String, unit: String, amount: Double, at time: Date) {
        orders.append(Order(orderID: "rec-\(eventID)", userID: unit, amount: amount, createdAt: time))
    }

    /// Writes the orders and session starts that have happened by `time`.
    mutating func flush(through time: Date, connection: PostgresConnection, core: DecisionCore) async throws {
        let due = orders.filter { $0.createdAt <= time }
        orders.removeAll { $0.createdAt <= time }
        if !due.isEmpty {
            try connection.execute(
                """
                INSERT INTO shop_orders (order_id, user_id, amount, created_at)
                SELECT * FROM unnest(\(due.map(\.orderID))::text[], \(due.map(\.userID))::text[],
                                     \(due.map(\.amount))::double precision[], \(due.map(\.createdAt))::timestamptz[])
                ON CONFLICT (order_id) DO NOTHING
                """
            )
        }
        let visits = sessions.filter { $0.timestamp <= time }
        sessions.removeAll { $0.timestamp <= time }
        if !visits.isEmpty { _ = try await core.record(outcomes: visits) }
    }
}
