/// PostgreSQL adapters: migrations, the event sink and evaluator queries.
public enum StorageModule {}
