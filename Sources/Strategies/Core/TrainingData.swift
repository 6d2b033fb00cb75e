/// Interactions turned into integer indices once per fit, grouped by unit in time order,
/// so every model trains on contiguous arrays.
struct TrainingData: Sendable {
    struct Event: Sendable {
        var unit: Int32
        var item: Int32
        var weight: Float
        var time: Double
    }

    let space: ItemSpace
    let catalogue: ItemCatalogue
    /// The interactions as given, for hybrids that fit their components.
    let interactions: [Interaction]
    /// Unit index → unit id.
    let units: [String]
    /// Sorted by unit, then time (stable for equal times).
    let events: [Event]
    /// `events[unitStarts[u]..<unitStarts[u + 1]]` are unit u's events.
    let unitStarts: [Int]
    let window: DataWindow?

    init(interactions: [Interaction], catalogue: ItemCatalogue) {
        space = ItemSpace(catalogue: catalogue, interactions: interactions)
        self.catalogue = catalogue
        self.interactions = interactions
        var unitIndex: [String: Int32] = [:]
        var units: [String] = []
        var events: [Event] = []
        events.reserveCapacity(interactions.count)
        for interaction in interactions {
            let unit: Int32
            if let known = unitIndex[interaction.unit] {
                unit = known
            } else {
                unit = Int32(units.count)
                unitIndex[interaction.unit] = unit
                units.append(interaction.unit)
            }
            // The space holds every interacted item by construction.
            guard let item = space.index(of: interaction.item) else { continue }
            events.append(Event(unit: unit, item: item, weight: interaction.weight, time: interaction.time))
        }
        let order = events.indices.sorted {
            (events[$0].unit, events[$0].time, $0) < (events[$1].unit, events[$1].time, $1)
        }
        self.events = order.map { events[$0] }
        var starts = [Int](repeating: 0, count: units.count + 1)
        for event in self.events { starts[Int(event.unit) + 1] += 1 }
        for index in 0..<units.count { starts[index + 1] += starts[index] }
        unitStarts = starts
        self.units = units
        window = DataWindow(interactions: interactions)
    }

    /// Unit u's events in time order.
    func events(ofUnit unit: Int) -> ArraySlice<Event> {
        events[unitStarts[unit]..<unitStarts[unit + 1]]
    }

    /// Summed event weights per (unit, item), as compressed rows.
    func unitItemMatrix() -> SparseRows {
        var rows: [[Int32: Float]] = Array(repeating: [:], count: units.count)
        for event in events { rows[Int(event.unit)][event.item, default: 0] += event.weight }
        return SparseRows(rows: rows, columnCount: space.count)
    }
}

/// The span of data a model learned from, written into model file headers.
public struct DataWindow: Sendable, Hashable, Codable {
    /// Time of the earliest interaction, seconds since the epoch.
    public var firstTime: Double
    /// Time of the latest interaction.
    public var lastTime: Double
    /// Number of interactions.
    public var count: Int

    public init(firstTime: Double, lastTime: Double, count: Int) {
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.count = count
    }

    init?(interactions: [Interaction]) {
        guard let first = interactions.first else { return nil }
        var window = DataWindow(firstTime: first.time, lastTime: first.time, count: 0)
        for interaction in interactions { window.include(interaction.time) }
        self = window
    }

    /// Widens the window by one interaction at `time`.
    mutating func include(_ time: Double) {
        firstTime = min(firstTime, time)
        lastTime = max(lastTime, time)
        count += 1
    }
}
