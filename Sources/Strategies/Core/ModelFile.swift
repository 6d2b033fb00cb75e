import Foundation

/// What a model file says about itself, readable without loading the model.
public struct ModelHeader: Sendable, Hashable, Codable {
    /// The file layout version; this build writes and reads `ModelFile.formatVersion`.
    public var formatVersion: UInt32
    /// The registry name of the strategy.
    public var strategy: String
    /// Every parameter as YAML text.
    public var parameters: [String: String]
    /// The interactions the model learned from.
    public var dataWindow: DataWindow?
    /// When the caller fitted it, seconds since the epoch.
    public var fittedAt: Double?

    public init(strategy: String, parameters: [String: String], dataWindow: DataWindow?, fittedAt: Double?) {
        self.formatVersion = ModelFile.formatVersion
        self.strategy = strategy
        self.parameters = parameters
        self.dataWindow = dataWindow
        self.fittedAt = fittedAt
    }
}

/// The model file layout: 8 magic bytes `ABCTLSTR`, the format version (UInt32 big-endian),
/// the header length (UInt32 big-endian), the header as JSON, then the model state as JSON.
enum ModelFile {
    static let magic = Array("ABCTLSTR".utf8)
    static let formatVersion: UInt32 = 1

    static func encode(header: ModelHeader, payload: Data) -> Data {
        // Encoding a struct of strings, numbers and optionals cannot fail.
        let headerData = (try? JSONEncoder().encode(header)) ?? Data("{}".utf8)
        var data = Data(magic)
        appendBigEndian(header.formatVersion, to: &data)
        appendBigEndian(UInt32(headerData.count), to: &data)
        data.append(headerData)
        data.append(payload)
        return data
    }

    /// The header and the model state, or an error saying why the data is not a model file.
    static func decode(_ data: Data) throws(StrategyError) -> (header: ModelHeader, payload: Data) {
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<8]) == magic else { throw .notAModelFile }
        let version = readBigEndian(bytes, at: 8)
        guard version == formatVersion else { throw .unsupportedFormatVersion(found: version, supported: formatVersion) }
        let headerLength = Int(readBigEndian(bytes, at: 12))
        guard 16 + headerLength <= bytes.count else {
            throw .corruptModel(strategy: "unknown", reason: "the header is cut short")
        }
        let header: ModelHeader
        do {
            header = try JSONDecoder().decode(ModelHeader.self, from: Data(bytes[16..<(16 + headerLength)]))
        } catch {
            throw .corruptModel(strategy: "unknown", reason: "the header is unreadable")
        }
        return (header, Data(bytes[(16 + headerLength)...]))
    }

    private static func appendBigEndian(_ value: UInt32, to data: inout Data) {
        data.append(contentsOf: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) })
    }

    private static func readBigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
