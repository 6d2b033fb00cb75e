extension ConnectionSettings {
    /// The settings that hold secrets: the password and the SSL key's passphrase.
    static let secretKeywords: Set<Substring> = ["password", "sslpassword"]

    /// `conninfo` as written, with every secret replaced by `***`: the password in a URL's
    /// user info (up to the last `@` before the query, so an `@` the user forgot to
    /// percent-encode stays hidden too), and the value of `password` or `sslpassword` in a
    /// URL's query or a key=value string. Where a key=value string stops making sense (an
    /// unquoted value with a space, say) everything from there on is hidden, since it may be
    /// the rest of a password.
    public static func redacted(_ conninfo: String) -> String {
        let text = Substring(conninfo)
        for scheme in ["postgresql://", "postgres://"] where text.hasPrefix(scheme) {
            return redactedURL(text, authorityStart: text.index(text.startIndex, offsetBy: scheme.count))
        }
        return redactedKeyValues(text)
    }

    /// `text` with each double-quoted part that is not in `conninfo`'s redacted form, so may
    /// come from a secret, replaced by `***`. libpq quotes the piece of a connection string
    /// it could not parse (a whole URL, a percent-encoded password, a word after a space in
    /// a password) in its messages.
    static func scrubbing(_ text: String, conninfo: String) -> String {
        let shown = redacted(conninfo)
        guard shown != conninfo else { return text }
        let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return text }
        return parts.enumerated().map { index, part in
            index % 2 == 1 && index < parts.count - 1 && !shown.contains(part) ? "***" : String(part)
        }.joined(separator: "\"")
    }

    private static func redactedURL(_ text: Substring, authorityStart: Substring.Index) -> String {
        var result = String(text[..<authorityStart])
        let queryStart = text[authorityStart...].firstIndex(of: "?") ?? text.endIndex
        var authority = text[authorityStart..<queryStart]
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += String(userInfo[...colon]) + "***"
            } else {
                result += userInfo
            }
            authority = authority[at...]
        }
        result += authority
        guard queryStart < text.endIndex else { return result }
        let parameters = text[text.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: false).map { parameter in
            guard let equals = parameter.firstIndex(of: "="), secretKeywords.contains(parameter[..<equals]) else { return String(parameter) }
            return String(parameter[...equals]) + "***"
        }
        return result + "?" + parameters.joined(separator: "&")
    }

    /// Follows libpq's key=value grammar: `keyword = value`, the value either in single
    /// quotes or up to the next space, `\` escaping the next character in both.
    private static func redactedKeyValues(_ text: Substring) -> String {
        var result = ""
        var index = text.startIndex
        func skipSpaces() {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
        }
        func appendSpan(from start: Substring.Index) {
            result += text[start..<index]
        }
        while true {
            var start = index
            skipSpaces()
            appendSpan(from: start)
            guard index < text.endIndex else { return result }
            start = index
            while index < text.endIndex, text[index] != "=", !text[index].isWhitespace { index = text.index(after: index) }
            let keyword = text[start..<index]
            skipSpaces()
            guard index < text.endIndex, text[index] == "=" else { return result + "***" }
            index = text.index(after: index)
            skipSpaces()
            appendSpan(from: start)
            start = index
            var quoted = false
            if index < text.endIndex, text[index] == "'" {
                quoted = true
                index = text.index(after: index)
            }
            var closed = !quoted
            while index < text.endIndex {
                let character = text[index]
                if character == "\\" {
                    index = text.index(after: index)
                    if index < text.endIndex { index = text.index(after: index) }
                    continue
                }
                if quoted && character == "'" {
                    index = text.index(after: index)
                    closed = true
                    break
                }
                if !quoted && character.isWhitespace { break }
                index = text.index(after: index)
            }
            guard closed else { return result + "***" }
            result += secretKeywords.contains(keyword) ? "***" : String(text[start..<index])
        }
    }
}
