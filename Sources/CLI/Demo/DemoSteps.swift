import Foundation

/// The demo's progress lines: "▸ step …" then "✓ step: what happened (seconds)".
final class DemoSteps {
    private var name = ""
    private var started = ContinuousClock.now

    func begin(_ step: String) {
        name = step
        started = ContinuousClock.now
        FileHandle.standardOutput.write(Data("▸ \(step) …\n".utf8))
    }

    func done(_ summary: String) {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("✓ \(name): \(summary) (\(String(format: "%.1f", seconds)) s)")
    }
}
