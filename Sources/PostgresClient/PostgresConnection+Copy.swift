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
        var writer = CopyWriter(capacity: chunkBytes + 4096)
        return try stream(statement, chunkBytes: chunkBytes, writer: &writer, produce: produce)
    }

    /// Bulk-loads rows with `COPY … FROM STDIN (FORMAT binary)`: as `copyIn`, with fields
    /// written in their binary form (`BinaryCopyWriter`), which the server stores without
    /// parsing text. Returns the number of rows the server stored. On error nothing is stored.
    @discardableResult
    public func copyInBinary(
        _ statement: PostgresQuery,
        chunkBytes: Int = 1 << 20,
        produce: (inout BinaryCopyWriter) throws -> Bool
    ) throws -> Int {
        var writer = BinaryCopyWriter(capacity: chunkBytes + 4096)
        writer.buffer.append(contentsOf: BinaryCopyWriter.header)
        return try stream(statement, chunkBytes: chunkBytes, writer: &writer) { writer in
            let more = try produce(&writer)
            if !more { writer.buffer.append(contentsOf: BinaryCopyWriter.trailer) }
            return more
        }
    }

    /// Starts the COPY, streams what `produce` writes in chunks of about `chunkBytes`, ends it
    /// (aborting it when `produce` throws, so nothing is stored) and returns the rows stored.
    private func stream<Writer: CopyStreamWriter>(
        _ statement: PostgresQuery,
        chunkBytes: Int,
        writer: inout Writer,
        produce: (inout Writer) throws -> Bool
    ) throws -> Int {
        precondition(statement.bindings.isEmpty, "COPY takes no bind parameters")
        let start = PQexec(handle, statement.sql)
        try check(start, statement: statement.sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            PQclear(start)
            throw PostgresError(kind: .client, message: "The statement did not start COPY FROM STDIN", statement: statement.sql)
        }
        PQclear(start)

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
        var serverRowCount: Int?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) != PGRES_COMMAND_OK, finalError == nil {
                finalError = serverError(result, statement: statement.sql)
            } else if finalError == nil {
                serverRowCount = Int(String(cString: PQcmdTuples(result)))
            }
            PQclear(result)
        }
        if let producerError { throw producerError }
        if let finalError { throw finalError }
        return serverRowCount ?? writer.rowCount
    }

    private func send(_ bytes: [UInt8], statement: String) throws {
        guard !bytes.isEmpty else { return }
        let status = bytes.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        guard status == 1 else { throw lostConnection(statement: statement) }
    }
}

/// What `copyIn` and `copyInBinary` stream: the bytes written so far and the rows completed.
protocol CopyStreamWriter {
    var buffer: [UInt8] { get set }
    var rowCount: Int { get }
}

extension CopyWriter: CopyStreamWriter {}
extension BinaryCopyWriter: CopyStreamWriter {}
