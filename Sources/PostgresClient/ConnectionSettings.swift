import CLibPQ

/// Reading and rewriting connection strings with libpq's own parser, so URLs and
/// key=value strings are treated exactly as libpq treats them.
public enum ConnectionSettings {
    /// The settings in `conninfo` (URL or key=value), as libpq parses them; nil when it cannot.
    public static func parse(_ conninfo: String) -> [String: String]? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var settings: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                settings[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return settings
    }

    /// A key=value conninfo equal to `conninfo` but for database `database`.
    public static func replacingDatabase(in conninfo: String, with database: String) -> String? {
        guard var settings = parse(conninfo) else { return nil }
        settings["dbname"] = database
        return settings.sorted { $0.key < $1.key }.map { "\($0.key)=\(quote($0.value))" }.joined(separator: " ")
    }

    /// A conninfo value in single quotes with `\` and `'` escaped, as libpq expects.
    static func quote(_ value: String) -> String {
        var result = "'"
        for character in value {
            if character == "'" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "'"
    }
}
