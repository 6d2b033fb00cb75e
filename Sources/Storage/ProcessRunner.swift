import Foundation

/// Runs a system program (initdb, pg_ctl) and captures what it printed. Uses posix_spawn
/// and waitpid directly: Foundation's Process.waitUntilExit can hang when called from an
/// async context on Linux.
public struct ProcessRunner {
    /// What the program printed and how it ended.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
        public var combined: String { [standardOutput, standardError].filter { !$0.isEmpty }.joined(separator: "\n") }
    }

    /// Runs `executable` with `arguments`, optionally as another user through runuser(1),
    /// with `environment` instead of this process's environment when given.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        asUser user: String? = nil,
        environment: [String: String]? = nil
    ) throws -> Output {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", executable] } ?? [executable]
        let allArguments = argv + arguments
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw StorageError("Could not create a pipe to run \(executable)") }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

        let cArguments: [UnsafeMutablePointer<CChar>?] = allArguments.map { strdup($0) } + [nil]
        defer {
            for argument in cArguments { free(argument) }
        }
        let cEnvironment: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer {
            for variable in cEnvironment ?? [] { free(variable) }
        }
        var pid: pid_t = 0
        let spawned =
            cEnvironment.map { posix_spawn(&pid, allArguments[0], &actions, nil, cArguments, $0) }
            ?? posix_spawn(&pid, allArguments[0], &actions, nil, cArguments, environ)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw StorageError("Could not run \(allArguments[0]): \(String(cString: strerror(spawned)))")
        }
        // Drain stderr on another thread so a chatty program cannot block on a full pipe.
        let errorReader = PipeReader(fd: errPipe[0])
        let thread = Thread { errorReader.readAll() }
        thread.start()
        let standardOutput = PipeReader.read(fd: outPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        errorReader.wait()
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(
            status: exitCode,
            standardOutput: String(decoding: standardOutput, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            standardError: String(decoding: errorReader.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}

/// Reads a pipe to its end, on whatever thread calls `readAll`.
private final class PipeReader: @unchecked Sendable {
    private let fd: Int32
    private let done = DispatchSemaphore(value: 0)
    /// Written only by `readAll` before it signals `done`; read only after `wait`.
    private(set) var data: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    func readAll() {
        data = Self.read(fd: fd)
        done.signal()
    }

    func wait() {
        done.wait()
    }

    static func read(fd: Int32) -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                result.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        close(fd)
        return result
    }
}
