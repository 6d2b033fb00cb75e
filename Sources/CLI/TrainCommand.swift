import ArgumentParser
import Engine
import Foundation
import Remote
import Spec
import Storage
import Strategies

/// `abctl train`: fits the strategies of a spec's arms (or one strategy) on the interactions
/// in PostgreSQL and saves the models where `abctl serve` finds them.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit the strategies of a spec's arms (or one --strategy) on the logged interactions and save the models."
    )

    @Argument(help: "A spec file: every arm's strategy is fitted.")
    var spec: String?

    @Option(help: "Only this arm of the spec.")
    var arm: String?

    @Option(help: "Fit one strategy instead of a spec's arms: NAME or NAME:param=value,… (a hybrid: hybrid:components=item_knn:0.7,popularity:0.3).")
    var strategy: StrategyArgument?

    @Option(help: "Folder of models (default $ABCTL_MODELS, then ./.abctl/models).")
    var models: String?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard (spec == nil) != (strategy == nil) else {
            throw ValidationError("give a spec file or --strategy NAME, not both and not neither")
        }
    }

    func run() throws {
        let connection = try database.connect()
        let data = TrainingDataStore(connection: connection)
        let interactions = try data.interactions()
        guard !interactions.isEmpty else {
            throw ValidationError("There are no interactions to learn from; load some with `abctl import interactions FILE`")
        }
        let catalogue = try data.catalogue(including: interactions)
        let directory = ModelDirectory(explicit: models)
        var jobs: [(experiment: String, arm: String, strategy: any RecommendationStrategy)] = []
        if let spec {
            let report = SpecFiles.validate([spec])
            guard let experiment = report.specs[spec], !report.hasErrors else {
                throw SpecFindingsError(findings: report.findings.filter { $0.severity == .error })
            }
            for armSpec in experiment.arms where arm == nil || armSpec.key == arm {
                do {
                    jobs.append((experiment.name, armSpec.key, try EdgeStrategyFactory.make(armSpec)))
                } catch {
                    throw ValidationError("arm \(armSpec.key): \(error)")
                }
            }
            if jobs.isEmpty { throw ValidationError("The spec has no arm called \(arm ?? "")") }
        } else if let strategy {
            jobs.append(("_strategies", strategy.name, try strategy.make()))
        }
        print("training on \(interactions.count) interactions over \(catalogue.items.count) items")
        for job in jobs {
            let start = Date()
            // Strategies trained in epochs (gru4rec, two_tower) report each one on standard error.
            let arm = job.arm
            let progress: TrainingProgress.Observer = { epoch, loss, validation in
                let check = validation.map { String(format: ", validation NDCG@10 %.4f", $0) } ?? ""
                FileHandle.standardError.write(Data(String(format: "  %@ epoch %d: loss %.4f%@\n", arm, epoch, loss, check).utf8))
            }
            try TrainingProgress.reporting(to: progress) {
                try job.strategy.fit(interactions, catalogue: catalogue)
            }
            let seconds = Date().timeIntervalSince(start)
            let url = try directory.write(try job.strategy.save(fittedAt: Date().timeIntervalSince1970), experiment: job.experiment, arm: job.arm)
            print(String(format: "fitted %@ (%@) in %.2f s → %@", job.arm, job.strategy.name, seconds, url.path))
        }
    }
}
