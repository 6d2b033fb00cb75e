/// Assignment, the decision pipeline and the feedback loop, over the pure layers.
public enum EngineModule {}
