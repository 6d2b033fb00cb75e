import Foundation

/// A large `[Float]` of a model (factors, biases) saved as its raw little-endian bytes, one
/// base64 string in the model's JSON, rather than one JSON number per element: at a million
/// items × 64 factors the number-per-element form is gigabytes of text and minutes of parsing.
/// Reads the older number-per-element form too, so model files written before still load.
@propertyWrapper
struct PackedFloats: Sendable, Hashable {
    var wrappedValue: [Float]

    init(wrappedValue: [Float]) {
        self.wrappedValue = wrappedValue
    }
}

extension PackedFloats: Codable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let numbers = try? container.decode([Float].self) {
            wrappedValue = numbers
            return
        }
        let bytes = try container.decode(Data.self)
        guard bytes.count.isMultiple(of: MemoryLayout<UInt32>.size) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "packed floats are not a whole number of 4-byte values")
        }
        let count = bytes.count / 4
        wrappedValue = [Float](unsafeUninitializedCapacity: count) { output, initialised in
            bytes.withUnsafeBytes { buffer in
                for index in 0..<count {
                    let bits = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                    output[index] = Float(bitPattern: bits)
                }
            }
            initialised = count
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        var packed = Data(count: wrappedValue.count * 4)
        packed.withUnsafeMutableBytes { buffer in
            for (index, value) in wrappedValue.enumerated() {
                buffer.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: index * 4, as: UInt32.self)
            }
        }
        try container.encode(packed)
    }
}
