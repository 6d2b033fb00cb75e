import Foundation

/// Where fitted models live on disk: `<root>/<experiment>/<arm>.model`, the layout
/// `abctl train` writes and `abctl serve` reads. Root: `--models`, then $ABCTL_MODELS, then
/// `./.abctl/models`.
public struct ModelDirectory: Sendable {
    public let root: URL

    public init(explicit: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit {
            root = URL(fileURLWithPath: explicit)
        } else if let fromEnvironment = environment["ABCTL_MODELS"] {
            root = URL(fileURLWithPath: fromEnvironment)
        } else {
            root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".abctl/models")
        }
    }

    /// The file of `arm`'s model in `experiment`.
    public func file(experiment: String, arm: String) -> URL {
        root.appendingPathComponent(Self.safe(experiment)).appendingPathComponent(Self.safe(arm) + ".model")
    }

    /// Writes a model atomically (a reader never sees half a file).
    public func write(_ data: Data, experiment: String, arm: String) throws -> URL {
        let url = file(experiment: experiment, arm: arm)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
        return url
    }

    /// Names as file names: anything but letters, digits, `-`, `_` and `.` becomes `_`.
    static func safe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
