/// What the experiment compares: independent arms (A/B/n) or interleaved lists.
public enum ExperimentType: String, Codable, Sendable, CaseIterable {
    case ab
    /// Every unit sees one list merged from all arms' rankings by Team-Draft (multileaving past
    /// two arms); clicks are credited to the arm that contributed the clicked position.
    case interleaving
}

/// The unit of randomisation, which is also the unit of analysis.
public enum RandomizationUnit: String, Codable, Sendable, CaseIterable {
    case user
    case session
}

/// The lifecycle state of an experiment; only `running` experiments assign units.
public enum ExperimentStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case running
    case paused
    case stopped
}
