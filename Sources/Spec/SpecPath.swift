/// Path arithmetic on the caller's file names, without touching the file system, so
/// `extends:` and the folder's `defaults.yaml` can be found through the caller's lookup.
enum SpecPath {
    /// The folder part of `path` ("" for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return path == "/" ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    static func fileName(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// `relative` resolved against the folder of `file`, with `.` and `..` removed.
    static func resolve(_ relative: String, from file: String) -> String {
        let directory = directory(of: file)
        let joined = relative.hasPrefix("/") || directory.isEmpty ? relative : "\(directory)/\(relative)"
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return (joined.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}
