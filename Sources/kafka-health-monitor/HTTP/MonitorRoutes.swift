import Exporter
import Hummingbird

/// The exporter's HTTP endpoints: `/metrics` (Prometheus text or OpenMetrics by `Accept`),
/// `/-/healthy`, `/-/ready` (after the first collection attempt) and the `/` status page.
/// Other areas add their routes (`/api/v1/*`, `/-/reload`) to the same router.
enum MonitorRoutes {
    /// Adds the routes to `router`. `ready` tells whether the monitor is ready to serve.
    static func add(to router: Router<BasicRequestContext>, monitor: HealthMonitor, status: StatusPage,
                    ready: @escaping @Sendable () -> Bool) {
        router.get("/metrics") { request, _ -> Response in
            let format = ExpositionFormat.negotiate(accept: request.headers[.accept])
            let body = monitor.withRendered(format) { ByteBuffer(bytes: $0) }
            return Response(status: .ok, headers: [.contentType: format.contentType],
                            body: ResponseBody(byteBuffer: body))
        }
        router.get("/-/healthy") { _, _ -> Response in
            text("Healthy.\n")
        }
        router.get("/-/ready") { _, _ -> Response in
            ready() ? text("Ready.\n") : text("Not ready: no collection attempted yet.\n", status: .serviceUnavailable)
        }
        router.get("/") { _, _ -> Response in
            text(status.render(monitor.families()), contentType: "text/html; charset=utf-8")
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok,
                     contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
