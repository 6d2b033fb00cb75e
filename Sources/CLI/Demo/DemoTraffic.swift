import Foundation
import PostgresClient
import Server
import Sim
import Spec
import Storage

/// Simulated visitors driven through the real decision path (`DecisionCore`, in process):
/// each request is decided and logged, the simulated user's clicks, carts and purchases come
/// back through the feedback path when they happen, and every simulated hour the bandit
/// reallocates from the logged data (`AllocationUpdater`) and the core reloads.
struct DemoTraffic {
    /// One reallocation, for the printout.
    struct Period {
        var end: Date
        var decisions: Int
        var events: Int
        var weights: [String: Double]
    }

    var world: World
    let core: DecisionCore
    let conninfo: String
    let experiment: String
    let start: Date
    let hours: Int
    let perSecond: Double

    private var pending: [Server.FeedbackEvent] = []
    /// The shop's orders table and session starts.
    private var shop: DemoShop
    private let shopConnection: PostgresConnection
    private(set) var truth: DemoTruth
    private(set) var periods: [Period] = []

    init(world: World, core: DecisionCore, conninfo: String, experiment: String, start: Date, hours: Int, perSecond: Double, seed: UInt64) throws {
        self.world = world
        self.shop = DemoShop(seed: seed)
        self.shopConnection = try PostgresConnection(conninfo: conninfo)
        self.core = core
        self.conninfo = conninfo
        self.experiment = experiment
        self.start = start
        self.hours = hours
        self.perSecond = perSecond
        self.truth = DemoTruth(flip: world.configuration.drift?.time)
    }

    /// Runs every hour of traffic; `onPeriod` sees each reallocation as it happens.
    mutating func run(onPeriod: (Period) -> Void) async throws {
        let updater = AllocationUpdater(connection: try PostgresConnection(conninfo: conninfo))
        for hour in 0..<hours {
            let periodStart = start.addingTimeInterval(Double(hour) * 3600)
            let periodEnd = periodStart.addingTimeInterval(3600)
            var decisions = 0
            var delivered = 0
            var nextRelease = periodStart.addingTimeInterval(60)
            for request in world.requests(start: periodStart, duration: 3600, perSecond: perSecond) {
                // Feedback reaches the service in one batch per simulated minute.
                if request.time >= nextRelease {
                    delivered += try await release(through: request.time)
                    nextRelease = request.time.addingTimeInterval(60)
                }
                try await decide(request)
                decisions += 1
            }
            delivered += try await release(through: periodEnd)
            try await core.flushImpressions()
            let update = try updater.update(experiment, now: periodEnd, stampedAtNow: true)
            try await core.reload()
            let period = Period(
                end: periodEnd,
                decisions: decisions,
                events: delivered,
                weights: Dictionary(uniqueKeysWithValues: zip(update.arms, update.weights))
            )
            periods.append(period)
            onPeriod(period)
        }
    }

    private mutating func decide(_ request: SimulatedRequest) async throws {
        let context = request.context.attributes.mapValues { AttributeValue.text($0) }
        let answer = try await core.decide(
            DecisionRequest(experiment: experiment, unitID: request.unitID, context: context, k: 10),
            now: request.time
        )
        let items = answer.items.map(\.itemID)
        if answer.reason == nil {
            let expected = world.expectedReward(of: items, for: request.unitID, at: request.time, context: request.context)
            truth.record(arm: answer.arm, at: request.time, expectedClicks: expected.expectedClicks)
        }
        guard let requestID = UUID(uuidString: answer.requestID) else { return }
        shop.visit(unit: request.unitID, at: request.time, requestID: answer.requestID)
        for (index, event) in world.respond(unit: request.unitID, items: items, at: request.time, context: request.context).enumerated() {
            guard let type = FeedbackEventType(rawValue: event.eventType.rawValue) else { continue }
            if type == .purchase {
                shop.purchase(eventID: "\(answer.requestID)-\(index)", unit: event.unitID, amount: event.value, at: event.occurredAt)
            }
            pending.append(
                Server.FeedbackEvent(
                    eventID: "\(answer.requestID)-\(index)",
                    requestID: requestID,
                    unitID: event.unitID,
                    itemID: event.itemID,
                    type: type,
                    value: event.value,
                    timestamp: event.occurredAt
                )
            )
        }
    }

    /// Sends every pending event that has happened by `time`; returns how many.
    private mutating func release(through time: Date) async throws -> Int {
        try await shop.flush(through: time, connection: shopConnection, core: core)
        let due = pending.filter { $0.timestamp <= time }
        guard !due.isEmpty else { return 0 }
        pending.removeAll { $0.timestamp <= time }
        _ = try await core.record(due.sorted { $0.timestamp < $1.timestamp })
        return due.count
    }
}
