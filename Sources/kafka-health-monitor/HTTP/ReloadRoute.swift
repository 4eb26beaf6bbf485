import Hummingbird

/// `POST /-/reload`: reloads the configuration (rule files, receivers) like SIGHUP. 200 with
/// what changed (and which settings need a restart), or 500 with every `file:line:col`
/// error while the previous configuration keeps running.
enum ReloadRoute {
    /// Adds the route to `router`.
    static func add(to router: Router<BasicRequestContext>, reloader: ConfigReloader) {
        router.post("/-/reload") { _, _ -> Response in
            switch reloader.reload(reason: "/-/reload") {
            case .success(let report):
                return MonitorRoutes.text(report.description + "\n")
            case .failure(let errors):
                return MonitorRoutes.text("Reload failed; keeping the previous configuration:\n\(errors)\n",
                                          status: .internalServerError)
            }
        }
    }
}
