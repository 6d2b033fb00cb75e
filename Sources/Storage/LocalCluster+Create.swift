import Foundation
import PostgresClient

extension LocalCluster {
    /// Runs initdb in a new data folder and records the cluster's settings.
    func create() throws -> State {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let dataParent = try dataParentDirectory()
        let data = dataParent.appendingPathComponent("data")
        let password = Self.randomPassword()
        let passwordFile = dataParent.appendingPathComponent("initdb.pw")
        try FileManager.default.createDirectory(at: dataParent, withIntermediateDirectories: true)
        try Data(password.utf8).write(to: passwordFile)
        if let user = serverUser {
            _ = try ProcessRunner.run("/bin/chown", ["-R", "\(user):\(user)", dataParent.path])
        }
        let initdb = try ProcessRunner.run(
            binaries.appendingPathComponent("initdb").path,
            [
                "-D", data.path, "-U", "abctl", "--pwfile", passwordFile.path, "-E", "UTF8", "--no-locale",
                "--auth-local=trust", "--auth-host=scram-sha-256",
            ],
            asUser: serverUser
        )
        try? FileManager.default.removeItem(at: passwordFile)
        guard initdb.status == 0 else { throw StorageError("initdb failed: \(initdb.combined)") }
        // Loopback only; the socket lives in the data folder so clusters never collide.
        let settings = """

            # abctl local cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = '\(data.path)'
            fsync = on
            synchronous_commit = on
            max_connections = 200
            shared_buffers = 256MB
            max_wal_size = 2GB
            timezone = 'UTC'

            """
        let config = try FileHandle(forWritingTo: data.appendingPathComponent("postgresql.conf"))
        try config.seekToEnd()
        try config.write(contentsOf: Data(settings.utf8))
        try config.close()
        let state = State(dataDirectory: data.path, port: try Self.freePort(), password: password)
        try save(state)
        return state
    }

    func save(_ state: State) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: stateFile)
        // The file holds the password: owner only.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: stateFile.path)
    }

    /// Where the data folder goes: beside cluster.json, unless we are root and the
    /// `postgres` user cannot reach that folder (a project under /root, say); then under
    /// /var/tmp, in a folder named after the project's path.
    func dataParentDirectory() throws -> URL {
        guard let user = serverUser else { return home }
        let probe = try ProcessRunner.run("/usr/bin/test", ["-x", home.path], asUser: user)
        if probe.status == 0 { return home }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the path: stable and short
        for byte in home.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let fallback = URL(fileURLWithPath: "/var/tmp/abctl-clusters/\(String(hash, radix: 16))")
        try FileManager.default.createDirectory(at: fallback.deletingLastPathComponent(), withIntermediateDirectories: true)
        return fallback
    }

    func createDatabaseIfMissing(_ state: State) throws {
        let connection = try PostgresConnection(
            conninfo: "host=\(state.dataDirectory) port=\(state.port) user=\(state.user) dbname=postgres"
        )
        let exists = try connection.query("SELECT 1 FROM pg_database WHERE datname = \(state.database)")
        if exists.isEmpty {
            try connection.execute("CREATE DATABASE \(identifier: state.database)")
        }
    }

    static func randomPassword() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<24).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
    }

    /// A loopback port nobody listens on now (bind to port 0 and ask the kernel).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw StorageError("Could not open a socket to find a free port") }
        defer { close(fd) }
        // PostgreSQL binds with SO_REUSEADDR, so sockets of a just-stopped server lingering in
        // TIME_WAIT do not stop it; the probe must ignore them too or a restart changes port.
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw StorageError("Could not find a free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func isPortFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // PostgreSQL binds with SO_REUSEADDR, so sockets of a just-stopped server lingering in
        // TIME_WAIT do not stop it; the probe must ignore them too or a restart changes port.
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
