import CLibPQ

/// A typed PostgreSQL client over libpq.
public enum PostgresClientModule {}
