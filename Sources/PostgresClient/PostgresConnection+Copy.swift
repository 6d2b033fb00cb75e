import CLibPQ

extension PostgresConnection {
    /// Bulk-loads rows with `COPY … FROM STDIN` (text format). `statement` is the COPY
    /// statement; `produce` is called repeatedly with a writer to fill with rows and returns
    /// false when there are no more. Data is streamed in chunks of about `chunkBytes`.
    /// Returns the number of rows the server stored. On error nothing is stored.
    @discardableResult
    public func copyIn(
        _ statement: PostgresQuery,
        chunkBytes: Int = 1 << 20,
        produce: (inout CopyWriter) throws -> Bool
    ) throws -> Int {
        precondition(statement.bindings.isEmpty, "COPY takes no bind parameters")
        let start = PQexec(handle, statement.sql)
        try check(start, statement: statement.sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            PQclear(start)
            throw PostgresError(kind: .client, message: "The statement did not start COPY FROM STDIN", statement: statement.sql)
        }
        PQclear(start)

        var writer = CopyWriter(capacity: chunkBytes + 4096)
        var producerError: (any Error)?
        do {
            var more = true
            while more {
                more = try produce(&writer)
                if writer.buffer.count >= chunkBytes || !more {
                    try send(writer.buffer, statement: statement.sql)
                    writer.buffer.removeAll(keepingCapacity: true)
                }
            }
        } catch {
            producerError = error
        }
        // Ending with an error message makes the server abort the COPY and store nothing.
        let endStatus = producerError == nil ? PQputCopyEnd(handle, nil) : PQputCopyEnd(handle, "aborted by the client")
        guard endStatus == 1 else { throw lostConnection(statement: statement.sql) }
        var finalError: PostgresError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, finalError == nil {
                finalError = serverError(result, statement: statement.sql)
            } else if finalError == nil {
                writer.serverRowCount = Int(String(cString: PQcmdTuples(result))) ?? writer.rowCount
            }
            PQclear(result)
        }
        if let producerError { throw producerError }
        if let finalError { throw finalError }
        return writer.serverRowCount ?? writer.rowCount
    }

    private func send(_ bytes: [UInt8], statement: String) throws {
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard status == 1 else { throw lostConnection(statement: statement) }
    }
}
