/// Experiment specs: types, YAML decoding and validation with file:line:column findings.
public enum SpecModule {}
