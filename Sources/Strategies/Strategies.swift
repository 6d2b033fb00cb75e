/// Recommenders that fit on interactions, rank items, and learn online.
public enum StrategiesModule {}
