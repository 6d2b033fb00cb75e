import Foundation

/// A dependency-free SVG line chart of regret curves (cumulative regret against decisions),
/// for docs and the `simulate-bandit --svg` option.
public enum RegretChart {
    /// Line colours, one per curve in order (a colour-blind-safe palette, Okabe–Ito).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]

    /// The SVG document for `curves`, with axes, ticks and a legend.
    public static func svg(_ curves: [RegretCurve], title: String, width: Double = 720, height: Double = 420) -> String {
        let left = 70.0
        let right = 190.0
        let top = 40.0
        let bottom = 50.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let maxX = Double(curves.flatMap(\.decisions).max() ?? 1)
        let maxY = niceCeiling(curves.flatMap(\.meanRegret).max() ?? 1)
        func x(_ v: Double) -> Double { left + v / maxX * plotWidth }
        func y(_ v: Double) -> Double { top + plotHeight - v / maxY * plotHeight }

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(format(width))" height="\(format(height))" \
            viewBox="0 0 \(format(width)) \(format(height))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(format(left))" y="24" font-size="15">\(escape(title))</text>

            """
        for tick in 0...5 {
            let vy = maxY * Double(tick) / 5
            let vx = maxX * Double(tick) / 5
            svg +=
                "<line x1=\"\(format(left))\" y1=\"\(format(y(vy)))\" x2=\"\(format(left + plotWidth))\" y2=\"\(format(y(vy)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(format(left - 6))\" y=\"\(format(y(vy) + 4))\" text-anchor=\"end\">\(format(vy))</text>\n"
            svg += "<text x=\"\(format(x(vx)))\" y=\"\(format(top + plotHeight + 18))\" text-anchor=\"middle\">\(format(vx))</text>\n"
        }
        svg +=
            "<line x1=\"\(format(left))\" y1=\"\(format(top + plotHeight))\" x2=\"\(format(left + plotWidth))\" y2=\"\(format(top + plotHeight))\" stroke=\"black\"/>\n"
        svg += "<line x1=\"\(format(left))\" y1=\"\(format(top))\" x2=\"\(format(left))\" y2=\"\(format(top + plotHeight))\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(format(left + plotWidth / 2))\" y=\"\(format(height - 12))\" text-anchor=\"middle\">decisions</text>\n"
        svg += "<text transform=\"translate(16 \(format(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">mean cumulative regret</text>\n"
        for (index, curve) in curves.enumerated() {
            let colour = palette[index % palette.count]
            let points = zip([0] + curve.decisions, [0] + curve.meanRegret)
                .map { "\(format(x(Double($0.0)))),\(format(y($0.1)))" }
                .joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
            let legendY = top + 10 + Double(index) * 20
            svg +=
                "<line x1=\"\(format(width - right + 15))\" y1=\"\(format(legendY))\" x2=\"\(format(width - right + 40))\" y2=\"\(format(legendY))\" stroke=\"\(colour)\" stroke-width=\"3\"/>\n"
            svg +=
                "<text x=\"\(format(width - right + 46))\" y=\"\(format(legendY + 4))\">\(escape(curve.policy)) (\(format(curve.finalMean)))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// The smallest of 1, 2, 2.5 or 5 × 10^k at or above `value`, for round axis ends.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        let magnitude = pow(10, (log10(value)).rounded(.down))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    /// A number with at most one decimal, without a trailing ".0".
    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Text escaped for XML.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
