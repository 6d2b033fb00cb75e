/// Sessions for the sequence models: each unit's time-ordered items, split where the pause
/// between consecutive events exceeds `gap` seconds (0 never splits), the same convention
/// as the Markov strategy's session gap.
enum Sessions {
    static func split(_ data: TrainingData, gap: Double) -> [[Int]] {
        var sessions: [[Int]] = []
        for unit in data.units.indices {
            var current: [Int] = []
            var lastTime = -Double.infinity
            for event in data.events(ofUnit: unit) {
                if gap > 0, event.time - lastTime > gap, !current.isEmpty {
                    sessions.append(current)
                    current = []
                }
                current.append(Int(event.item))
                lastTime = event.time
            }
            if !current.isEmpty { sessions.append(current) }
        }
        return sessions
    }

    /// Each unit's last session with the time of its last event, for the inference state.
    static func latest(_ data: TrainingData, gap: Double) -> [(unit: String, items: [Int], lastTime: Double)] {
        data.units.indices.compactMap { unit in
            let events = data.events(ofUnit: unit)
            guard var start = events.indices.last, let last = events.last else { return nil }
            while start > events.startIndex, gap == 0 || events[start].time - events[start - 1].time <= gap { start -= 1 }
            return (data.units[unit], events[start...].map { Int($0.item) }, last.time)
        }
    }
}
