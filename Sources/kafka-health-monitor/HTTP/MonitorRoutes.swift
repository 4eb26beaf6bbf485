import Exporter
import Hummingbird

/// The exporter's HTTP endpoints: `/metrics` (Prometheus text or OpenMetrics by `Accept`),
/// `/-/healthy`, `/-/ready` (after the first collection attempt) and the `/` status page.
/// Other areas add their routes (`/api/v1/*`, `/-/reload`) to the same router.
enum MonitorRoutes {
    /// Adds the routes to `router`. `ready` tells whether the monitor is ready to serve.
    static func add(to router: Router<BasicRequestContext>, monitor: HealthMonitor, extensions: MonitorExtensions,
                    status: StatusPage, ready: @escaping @Sendable () -> Bool) {
        router.get("/metrics") { request, _ -> Response in
            let format = ExpositionFormat.negotiate(accept: request.headers[.accept])
            var body = monitor.withRendered(format) { ByteBuffer(bytes: $0) }
            let extra = extensions.metrics(openMetrics: format == .openMetrics)
            if !extra.isEmpty {
                // OpenMetrics ends with `# EOF`: the extra families go before it.
                let eof = "# EOF\n"
                if format == .openMetrics, body.readableBytes >= eof.utf8.count {
                    body.moveWriterIndex(to: body.writerIndex - eof.utf8.count)
                    body.writeString(extra + eof)
                } else {
                    body.writeString(extra)
                }
            }
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
            text(status.render(monitor.families(), sections: extensions.statusSections()), contentType: "text/html; charset=utf-8")
        }
    }

    static func text(_ body: String, status: HTTPResponse.Status = .ok,
                     contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
