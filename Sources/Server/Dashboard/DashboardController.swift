import Foundation
import Hummingbird
import PostgresClient
import Reporting
import Storage

/// GET /dashboard (the experiment list) and GET /dashboard/NAME (one experiment): the
/// built-in dashboard for people without Grafana. Pages are self-contained HTML read
/// through the read-only role, and a Content-Security-Policy forbids scripts and any
/// network fetch, so the page stays inert even if a name smuggled markup past escaping.
struct DashboardController<Context: RequestContext>: Sendable {
    let database: ReadOnlyDatabase

    /// Serves the dashboard from `pool`, reading as `abctl_reader`.
    init(pool: PostgresConnectionPool) {
        database = ReadOnlyDatabase(pool: pool)
    }

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/dashboard") { _, _ in
            await page {
                let experiments = try await database.read { db in try ExperimentStore(connection: db).list() }
                return (.ok, ExperimentListPage(experiments: experiments).render())
            }
        }
        routes.get("/dashboard/:name") { _, context in
            let raw = try context.parameters.require("name")
            let name = raw.removingPercentEncoding ?? raw
            return await page {
                do {
                    // The report's own loader and analysis, so the page shows `abctl report`'s numbers.
                    let data = try await database.read { db in try ExperimentReportData.load(name: name, connection: db) }
                    return (.ok, ExperimentPage(data: data).render())
                } catch let error as ReportError where error.code == .noSuchExperiment {
                    return (.notFound, Self.message("No experiment called “\(name)”", detail: "See the list of experiments."))
                }
            }
        }
        return routes
    }

    /// Runs `make` and answers with its page, or with a 503 page saying what failed.
    private func page(_ make: () async throws -> (HTTPResponse.Status, String)) async -> Response {
        let status: HTTPResponse.Status
        let html: String
        do {
            (status, html) = try await make()
        } catch {
            status = .serviceUnavailable
            html = Self.message(
                "The dashboard cannot read the database",
                detail: "\(error). Run `abctl migrate` (it creates the abctl_reader role) and make sure the serving user is a member of abctl_reader."
            )
        }
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    private static func message(_ title: String, detail: String) -> String {
        DashboardHTML.page(
            title: title,
            body: "<h1>\(DashboardHTML.escape(title))</h1><section><p>\(DashboardHTML.escape(detail))</p>"
                + "<p><a href=\"/dashboard\">All experiments</a></p></section>"
        )
    }
}
