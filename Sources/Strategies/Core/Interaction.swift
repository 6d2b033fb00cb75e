/// One thing a unit did to an item: the training and online-update input of every strategy.
public struct Interaction: Sendable, Hashable, Codable {
    /// The user or session id the experiment randomises on.
    public var unit: String
    /// The item's id in the catalogue.
    public var item: String
    /// `view`, `click`, `add_to_cart` or `purchase`; other words weigh like a view.
    public var event: String
    /// The event's value (e.g. revenue); kept for callers, strategies weigh by event type.
    public var value: Double
    /// Seconds since the Unix epoch.
    public var time: Double

    public init(unit: String, item: String, event: String = "click", value: Double = 1, time: Double) {
        self.unit = unit
        self.item = item
        self.event = event
        self.value = value
        self.time = time
    }

    /// How strongly this event signals interest: view 1, click 1, add_to_cart 2, purchase 3
    /// (the default gains of DESIGN.md, with a view counting as a click).
    public var weight: Float {
        switch event {
        case "add_to_cart": 2
        case "purchase": 3
        default: 1
        }
    }
}
