import Foundation
import PostgresClient
import Reporting

/// The share of a contextual experiment's decisions each arm received, hour by hour, read from
/// the impressions its policy chose (those with a model version). A contextual policy has no
/// arm weights to chart: its traffic follows the contexts it sees, so the page draws what it did.
enum TrafficShare {
    /// One point per hour with decisions, its shares summing to 1, labelled with the hour's
    /// latest model version; empty for an experiment that is not contextual.
    static func load(experiment: String, on db: PostgresConnection) throws -> [ExperimentReportData.AllocationPoint] {
        let rows = try db.query(
            """
            SELECT date_trunc('hour', created_at, 'UTC') AS hour, arm, count(*)::bigint, max(model_version)
            FROM impressions
            WHERE experiment = \(experiment) AND model_version IS NOT NULL AND reason IS NULL
            GROUP BY 1, 2
            ORDER BY 1, 2
            """
        )
        var points: [ExperimentReportData.AllocationPoint] = []
        var counts: [String: Double] = [:]
        var hour: Date?
        var version: Int64 = 0
        func close() {
            guard let hour else { return }
            let total = counts.values.reduce(0, +)
            points.append(.init(version: version, effectiveFrom: hour, policy: "observed share", weights: counts.mapValues { $0 / total }))
        }
        for row in rows {
            let (start, arm, count, modelVersion) = try row.decode((Date, String, Int64, Int64).self)
            if start != hour {
                close()
                hour = start
                counts = [:]
                version = 0
            }
            counts[arm] = Double(count)
            version = max(version, modelVersion)
        }
        close()
        return points
    }
}
