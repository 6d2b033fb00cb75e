import Spec

/// Writes a decision's context as a JSON object by hand, with the same writer as the
/// decision's answer: it runs on every decision, and JSONEncoder costs more than the rest of
/// the decision. Keys are sorted, so equal contexts give equal text.
enum ContextJSON {
    static func encode(_ context: [String: AttributeValue]) -> String {
        guard !context.isEmpty else { return "{}" }
        let entries = context.sorted { $0.key < $1.key }
        // Braces, then per entry: the key, a colon, a comma, and the value's largest form.
        var bound = 2
        for (key, value) in entries {
            bound += JSONBytesWriter.bound(of: key) + 2
            if case .text(let text) = value {
                bound += JSONBytesWriter.bound(of: text)
            } else {
                bound += JSONBytesWriter.numberBound
            }
        }
        return String(unsafeUninitializedCapacity: bound) { memory in
            var out = JSONBytesWriter(into: UnsafeMutableRawBufferPointer(memory))
            for (index, (key, value)) in entries.enumerated() {
                out.text(index == 0 ? "{" : ",")
                out.string(key)
                out.text(":")
                switch value {
                case .text(let text): out.string(text)
                case .number(let number): out.number(number)
                case .bool(let flag): out.text(flag ? "true" : "false")
                }
            }
            out.text("}")
            return out.count
        }
    }
}
