import Foundation

/// A one-line progress bar on standard error, drawn only on a terminal and only once the
/// work has taken more than a second (short jobs stay quiet).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let start = Date()
    private let lock = NSLock()
    private var drawn = false
    private let enabled = isatty(STDERR_FILENO) == 1

    init(label: String) {
        self.label = label
    }

    /// Redraws with `fraction` done (0…1) and a count of `unit`s.
    func update(fraction: Double, count: Int, unit: String) {
        lock.lock()
        defer { lock.unlock() }
        guard enabled, Date().timeIntervalSince(start) > 1 else { return }
        let width = 30
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\r\(label) \(bar) \(Int(fraction * 100))%  \(count.formatted()) \(unit)"
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    /// Ends the bar's line, if one was drawn.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
