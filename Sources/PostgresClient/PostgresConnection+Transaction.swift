extension PostgresConnection {
    /// Runs `body` inside BEGIN … COMMIT; any error thrown rolls the transaction back and
    /// is rethrown, so a failing statement leaves nothing behind.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try executeScript("BEGIN")
        do {
            let value = try body(self)
            try executeScript("COMMIT")
            return value
        } catch {
            if isHealthy {
                try? executeScript("ROLLBACK")
            }
            throw error
        }
    }
}
