import Foundation
import Spec
import Strategies

/// Reading spec files from disk for the commands that take them (validate, apply).
enum SpecFiles {
    /// Folders become their *.yaml and *.yml files, sorted; files stay as given.
    static func expand(_ arguments: [String]) -> [String] {
        arguments.flatMap { argument -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue,
                let names = try? FileManager.default.contentsOfDirectory(atPath: argument)
            else { return [argument] }
            let folder = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
            return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
        }
    }

    /// Loads and validates the files together (layers are checked across them).
    static func validate(_ paths: [String]) -> ValidationReport {
        SpecLoader(catalog: .standard, extendsRoots: ["", FileManager.default.currentDirectoryPath]).validate(paths: paths, readFile: read)
    }

    /// The contents of the regular file at `path`, read up to one byte past the loader's limit
    /// (so a file over it is reported as such); unreadable for anything else, so that a spec or
    /// an `extends:` naming /dev/zero or a FIFO cannot make the command read forever or block.
    static func read(_ path: String) -> SpecFileContents {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let handle = FileHandle(forReadingAtPath: path) else { return .unreadable }
        defer { try? handle.close() }
        do {
            // nil at the end of the file: an empty file, which the loader reports as such.
            let data = try handle.read(upToCount: SpecLoader.maxFileBytes + 1) ?? Data()
            // Past the limit the file is refused for its size; the cut may split a character.
            guard data.count <= SpecLoader.maxFileBytes else { return .text(String(decoding: data, as: UTF8.self)) }
            return SpecFileContents.decoding(data)
        } catch {
            return .unreadable
        }
    }
}

/// Findings that stop a command: printed one per line, as `file:line:column: message`.
struct SpecFindingsError: Error, CustomStringConvertible {
    var findings: [Finding]
    var description: String {
        (findings.map(\.description) + ["Nothing was applied; fix the findings above (abctl validate shows them too)."])
            .joined(separator: "\n")
    }
}
