import Foundation
import Hummingbird
import PostgresClient
import Reporting
import Spec
import Storage

/// GET /dashboard (the experiment list) and GET /dashboard/NAME (one experiment): the
/// built-in dashboard for people without Grafana. Pages are self-contained HTML read
/// through the read-only role, and a Content-Security-Policy forbids scripts and any
/// network fetch, so the page stays inert even if a name smuggled markup past escaping.
/// Any other path under /dashboard gets the dashboard's 404 page (`DashboardNotFound`).
struct DashboardController<Context: RequestContext>: Sendable {
    let database: ReadOnlyDatabase

    /// Serves the dashboard from `pool`, reading as `abctl_reader`.
    init(pool: PostgresConnectionPool) {
        database = ReadOnlyDatabase(pool: pool)
    }

    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/dashboard") { _, _ in
            await Self.page {
                let experiments = try await database.read { db in try ExperimentStore(connection: db).list() }
                return (.ok, ExperimentListPage(experiments: experiments).render())
            }
        }
        routes.get("/dashboard/:name") { _, context in
            let raw = try context.parameters.require("name")
            let name = raw.removingPercentEncoding ?? raw
            // No experiment can have this name (a NUL, a slash, upper case, …): the 404 page,
            // without a query that could fail on it and quote itself.
            guard ExperimentSpec.isValidName(name) else { return await Self.notFound("/dashboard/" + raw) }
            return await Self.page {
                do {
                    // The report's own loader and analysis, so the page shows `abctl report`'s numbers.
                    let (data, shares) = try await database.read { db in
                        (try ExperimentReportData.load(name: name, connection: db), try TrafficShare.load(experiment: name, on: db))
                    }
                    return (.ok, ExperimentPage(data: data, trafficShare: shares).render())
                } catch let error as ReportError where error.code == .noSuchExperiment {
                    return (.notFound, Self.message("No experiment called “\(name)”", detail: "See the list of experiments."))
                }
            }
        }
        return routes
    }

    /// The dashboard's 404 page for `path`, a path under /dashboard that is no page.
    static func notFound(_ path: String) async -> Response {
        await page {
            (.notFound, message("The dashboard has no page at \(path)", detail: "It has the list of experiments and one page for each."))
        }
    }

    /// Runs `make` and answers with its page, or with a 503 page saying what failed.
    private static func page(_ make: () async throws -> (HTTPResponse.Status, String)) async -> Response {
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

/// Answers a path under /dashboard that no route takes (`/dashboard/a/b`) with the dashboard's
/// HTML 404 page and its link back to the list, instead of the router's empty 404. A router
/// middleware rather than a `/dashboard/**` route, so the OpenAPI document lists only pages.
struct DashboardNotFound<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && request.uri.path.hasPrefix("/dashboard/") {
            return await DashboardController<Context>.notFound(request.uri.path)
        }
    }
}
