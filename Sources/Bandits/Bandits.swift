/// Allocation policies: per-arm reward statistics in, arm weights out.
public enum BanditsModule {}
