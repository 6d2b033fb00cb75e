/// A query id or docno as trec_eval sees it: a sequence of bytes, equal to another only when
/// every byte is (trec_eval compares them with `strcmp`). Swift's `String` equality is Unicode
/// canonical equivalence, under which `café` with a precomposed `é` (C3 A9) and with `e` plus a
/// combining accent (65 CC 81) are one string; to trec_eval, and here, they are two documents.
public struct TrecIdentifier: Sendable, Hashable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The identifier's text, with its bytes exactly as read.
    public let text: String

    public init(_ text: String) {
        self.text = text
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public var description: String { text }

    public static func == (a: TrecIdentifier, b: TrecIdentifier) -> Bool {
        a.text.utf8.elementsEqual(b.text.utf8)
    }

    /// Byte order, as `strcmp` orders two identifiers.
    public static func < (a: TrecIdentifier, b: TrecIdentifier) -> Bool {
        a.text.utf8.lexicographicallyPrecedes(b.text.utf8)
    }

    public func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            for byte in text.utf8 { hasher.combine(byte) }
        }
        hasher.combine(text.utf8.count)
    }
}
