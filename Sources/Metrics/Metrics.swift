/// Ranking metrics (precision@K, NDCG@K, MRR, …), interleaving credit and off-policy estimators.
public enum MetricsModule {}
