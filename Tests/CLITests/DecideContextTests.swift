import Engine
import Foundation
import PostgresTestSupport
import Spec
import Testing

@testable import CLI

/// `--context` types numbers and booleans; a quoted value and `--context-text` stay text, so
/// the example spec's rule `not: {attribute: app_version, regex: "^[0-4]\\."}` can see a 4.x app.
@Suite struct DecideContextTests {
    @Test func quotedValuesAndContextTextStayText() {
        let attributes = DecideCommand.attributes(
            ["n=4.9", "flag=true", "quoted=\"4.9\"", "word=ios", "empty=\"\""],
            texts: ["app_version=4.9", "also=true"]
        )
        #expect(
            attributes == [
                "n": .number(4.9), "flag": .bool(true), "quoted": .text("4.9"), "word": .text("ios"), "empty": .text(""),
                "app_version": .text("4.9"), "also": .text("true"),
            ]
        )
    }

    @Test func theExampleSpecExcludesA4xAppGivenAsText() throws {
        let path = TestDatabase.repositoryRoot.appendingPathComponent("experiments/mobile-new-users-targeted.yaml").path
        let report = SpecFiles.validate([path])
        let spec = try #require(report.specs[path])
        let evaluator = try TargetingEvaluator(spec.targeting)
        let base = ["platform=ios", "country=DE", "days_since_signup=3"]
        // Rule by hand: every condition holds but the app version, which the rule excludes when it starts with 0–4 and a dot.
        #expect(evaluator.matches(DecideCommand.attributes(base, texts: ["app_version=5.1"])))
        #expect(!evaluator.matches(DecideCommand.attributes(base, texts: ["app_version=4.9"])))
        #expect(!evaluator.matches(DecideCommand.attributes(base + ["app_version=\"4.9\""])))
    }
}
