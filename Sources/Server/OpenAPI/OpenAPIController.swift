import Hummingbird

/// GET /openapi.json: the service's OpenAPI 3.1 document, open to everyone.
struct OpenAPIController<Context: RequestContext>: Sendable {
    var routes: RouteCollection<Context> {
        let routes = RouteCollection(context: Context.self)
        routes.get("/openapi.json") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json))
            )
        }
        return routes
    }
}
