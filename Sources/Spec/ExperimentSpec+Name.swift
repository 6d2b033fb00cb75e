extension ExperimentSpec {
    /// Whether `text` can name an experiment (lowercase letters, digits, '-', '_', '.', at most
    /// 64, starting with a letter or digit): what a spec's `name` must be, so a caller can
    /// refuse any other name without asking the database.
    public static func isValidName(_ text: String) -> Bool {
        MappingReader.isIdentifier(text)
    }
}
