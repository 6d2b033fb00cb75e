// libyaml's C API, as Yams builds it (Yams does not expose its own event parser).
import CYaml

/// How many nodes a YAML text stands for once every alias is replaced by the node it names,
/// counted over libyaml's events before anything is built. Aliases of aliases grow
/// exponentially ("billion laughs": nine short lines name 10⁹ nodes), and not only building
/// such a tree costs that much: Yams hashes a mapping's keys to find duplicates, so one alias
/// used as a key costs its whole expansion inside Yams. Counting first bounds both.
enum YAMLExpansion {
    /// Where the text's expanded node count first passes `limit` (1-based line and column),
    /// or nil when it stays within it. Also nil when libyaml cannot parse the text: Yams then
    /// reports the syntax error itself.
    static func firstExcess(in text: String, limit: Int) -> (line: Int, column: Int)? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Sizes are capped just past the limit, so sums of them cannot overflow.
            let cap = limit + 1
            var anchored: [String: Int] = [:]
            // The collections open around the current event: anchor and size so far.
            var open: [(anchor: String?, size: Int)] = []
            var total = 0
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                var leaf: Int?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    if let anchor = event.data.scalar.anchor { anchored[String(cString: anchor)] = 1 }
                    leaf = 1
                case YAML_ALIAS_EVENT:
                    leaf = event.data.alias.anchor.flatMap { anchored[String(cString: $0)] } ?? 0
                case YAML_SEQUENCE_START_EVENT:
                    open.append((event.data.sequence_start.anchor.map { String(cString: $0) }, 1))
                    total = min(total + 1, cap)
                case YAML_MAPPING_START_EVENT:
                    open.append((event.data.mapping_start.anchor.map { String(cString: $0) }, 1))
                    total = min(total + 1, cap)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let closed = open.popLast() else { break }
                    if let anchor = closed.anchor { anchored[anchor] = closed.size }
                    if !open.isEmpty { open[open.count - 1].size = min(open[open.count - 1].size + closed.size, cap) }
                default:
                    break
                }
                if let leaf {
                    total = min(total + leaf, cap)
                    if !open.isEmpty { open[open.count - 1].size = min(open[open.count - 1].size + leaf, cap) }
                }
                if total > limit {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
            }
            return nil
        }
    }
}
