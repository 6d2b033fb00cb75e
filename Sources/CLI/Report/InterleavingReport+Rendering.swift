import Foundation

extension InterleavingReport {
    /// The terminal table: credited clicks per arm, each ordered pair's preference, and a
    /// one-line reading per unordered pair.
    func table() -> String {
        var lines = [
            "\(experiment) (version \(version)): interleaving of \(arms.joined(separator: ", ")); \(units) units, \(impressions) impressions",
            "credited clicks: " + credits.map { "\($0.arm) \($0.creditedClicks)" }.joined(separator: ", "),
            "",
        ]
        let level = String(format: "%g%%", confidence * 100)
        let rows = preferences.map { p in
            [
                p.arm, p.opponent, "\(p.wins)", "\(p.losses)", "\(p.ties)", percent(p.share), "[\(percent(p.lower)), \(percent(p.upper))]",
                number(p.pValue),
            ]
                + (arms.count > 2 ? [number(p.adjustedPValue)] : [])
        }
        let header =
            ["arm", "over", "prefer arm", "prefer other", "ties", "share", "\(level) CI", "p (sign test)"] + (arms.count > 2 ? ["adjusted p"] : [])
        lines.append(TextTable.render(header: header, rows: rows))
        lines.append("")
        lines += readings()
        return lines.joined(separator: "\n")
    }

    /// One sentence per unordered pair: which arm units prefer, or that there is no evidence.
    func readings() -> [String] {
        let order = Dictionary(arms.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return preferences.filter { (order[$0.arm] ?? 0) < (order[$0.opponent] ?? 0) }.map { p in
            let decided = p.wins + p.losses
            guard decided > 0 else { return "\(p.arm) vs \(p.opponent): no unit preferred either arm yet (\(p.ties) ties)." }
            let pText = number(p.adjustedPValue)
            guard p.isSignificant else {
                return "\(p.arm) vs \(p.opponent): no significant preference at alpha \(number(alpha)) (p = \(pText)); keep collecting units."
            }
            let (winner, loser, share) = p.wins > p.losses ? (p.arm, p.opponent, p.share) : (p.opponent, p.arm, 1 - p.share)
            return "\(winner) is preferred over \(loser) by \(percent(share)) of the \(decided) units with a preference (p = \(pText))."
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func csv() -> String {
        let rows = preferences.map { p in
            "\(p.arm),\(p.opponent),\(p.wins),\(p.losses),\(p.ties),\(p.share),\(p.lower),\(p.upper),\(p.pValue),\(p.adjustedPValue),\(p.isSignificant)"
        }
        return (["arm,opponent,wins,losses,ties,share,lower,upper,p_value,adjusted_p_value,significant"] + rows).joined(separator: "\n")
    }

    func markdown() -> String {
        var lines = [
            "# \(experiment) (version \(version)): interleaving", "",
            "\(units) units, \(impressions) impressions; credited clicks: "
                + credits.map { "\($0.arm) \($0.creditedClicks)" }.joined(separator: ", "), "",
            "| arm | over | prefer arm | prefer other | ties | share | \(String(format: "%g%%", confidence * 100)) CI | p | adjusted p |",
            "|---|---|---:|---:|---:|---:|---|---:|---:|",
        ]
        for p in preferences {
            lines.append(
                "| \(p.arm) | \(p.opponent) | \(p.wins) | \(p.losses) | \(p.ties) | \(percent(p.share)) | [\(percent(p.lower)), \(percent(p.upper))] | \(number(p.pValue)) | \(number(p.adjustedPValue)) |"
            )
        }
        return (lines + [""] + readings().map { "- " + $0 }).joined(separator: "\n")
    }

    private func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value != 0 && abs(value) < 0.001 { return String(format: "%.2e", value) }
        return String(format: "%.4f", value)
    }

    private func percent(_ value: Double) -> String {
        String(format: "%.2f%%", value * 100)
    }
}
