/// Simulated users and items with latent tastes and drift, for demos, tests and benchmarks.
public enum SimModule {}
