import Strategies

/// How interactions are divided into what a strategy learns from and what it is judged on.
public enum OfflineSplit: Sendable, Equatable {
    /// Each unit's last interaction (by time) is the test; units with one interaction only train.
    /// Interactions at the same time keep the order they are given in (a stable sort), so of
    /// several at a unit's last time the last one given is held out.
    case leaveLastOut
    /// Interactions at or after the cut-off time are the test, for units seen before it.
    case time(cutoff: Double)

    /// The training interactions and, per test unit, its held-out items with their grades
    /// (the highest event weight per item: view/click 1, add_to_cart 2, purchase 3).
    public func apply(_ interactions: [Interaction]) -> (train: [Interaction], test: [String: [String: Double]]) {
        let ordered = interactions.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var train: [Interaction] = []
        var test: [String: [String: Double]] = [:]
        switch self {
        case .leaveLastOut:
            var lastIndex: [String: Int] = [:]
            var counts: [String: Int] = [:]
            for (index, interaction) in ordered.enumerated() {
                lastIndex[interaction.unit] = index
                counts[interaction.unit, default: 0] += 1
            }
            for (index, interaction) in ordered.enumerated() {
                if lastIndex[interaction.unit] == index && (counts[interaction.unit] ?? 0) >= 2 {
                    test[interaction.unit, default: [:]][interaction.item] = Double(interaction.weight)
                } else {
                    train.append(interaction)
                }
            }
        case .time(let cutoff):
            train = ordered.filter { $0.time < cutoff }
            let known = Set(train.map(\.unit))
            for interaction in ordered where interaction.time >= cutoff && known.contains(interaction.unit) {
                let grade = Double(interaction.weight)
                test[interaction.unit, default: [:]][interaction.item] = max(test[interaction.unit]?[interaction.item] ?? 0, grade)
            }
        }
        return (train, test)
    }
}
