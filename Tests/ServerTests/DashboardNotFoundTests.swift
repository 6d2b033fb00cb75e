import Testing

/// Every path under /dashboard that is not a page answers the dashboard's own 404 page
/// (HTML, with the way back to the list), not the router's empty 404.
@Suite("The dashboard's 404 page")
struct DashboardNotFoundTests {
    @Test(arguments: [
        "/dashboard/nope", "/dashboard/a/b", "/dashboard/dashboard-test/extra", "/dashboard/a/b/c/", "/dashboard/%00", "/dashboard/A%20B",
        "/dashboard/%C3%A9", "/dashboard/%27%3B%20select%201",
    ])
    func unknownPathsAnswerTheHTMLPage(path: String) async throws {
        try await ServerFixture.with { fixture in
            _ = try fixture.apply(DashboardTests.spec)
            try await fixture.test { client in
                let answer = try await client.getText(path)
                #expect(answer.status == 404, "\(path)")
                #expect(answer.text.hasPrefix("<!doctype html>") && answer.text.contains("href=\"/dashboard\""), "\(path): \(answer.text)")
                // Nothing of the database leaks: no SQL, no advice to migrate.
                #expect(!answer.text.lowercased().contains("select ") && !answer.text.contains("migrate"), "\(path): \(answer.text)")
                // The experiment's own page and the list are still theirs.
                #expect(try await client.getText("/dashboard/dashboard-test").status == 200)
                #expect(try await client.getText("/dashboard").status == 200)
            }
        }
    }
}
