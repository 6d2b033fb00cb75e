/// ServiceLifecycle names a service by `"\(service)"` in its logs and errors. A struct's
/// default description lists its stored properties, which for `ExperimentReloader` includes
/// the conninfo, password and all; each service is therefore described by its name alone.
extension ExperimentReloader: CustomStringConvertible {
    var description: String { "ExperimentReloader" }
}

extension ImpressionWriter: CustomStringConvertible {
    var description: String { "ImpressionWriter" }
}

extension SpoolReplayer: CustomStringConvertible {
    var description: String { Table.self == FeedbackTable.self ? "SpoolReplayer" : "SpoolReplayer(\(Table.self))" }
}

extension AllocatorService: CustomStringConvertible {
    var description: String { "AllocatorService" }
}

extension AggregateRefreshService: CustomStringConvertible {
    var description: String { "AggregateRefreshService" }
}
