import Foundation

/// A receiver's secrets, read from the config, files or the environment (at start and on
/// every reload, so that a rotated secret file takes effect).
///
/// Kept apart from `ReceiverConfig` so that only the request builder ever holds them.
struct ReceiverCredentials: Sendable, Equatable {
    /// The `Authorization` header value (`Bearer …` or `Basic …`), if any.
    let authorization: Secret?
    /// PagerDuty's integration key, if any.
    let routingKey: Secret?

    /// Reads the secrets of `config` (receiver at `index`); a missing file or variable is a
    /// `ReceiverConfigError` that names the file or variable, never the secret.
    init(_ config: ReceiverConfig, index: Int, environment: [String: String]) throws {
        func fail(_ field: String, _ message: String) -> ReceiverConfigError {
            ReceiverConfigError(index: index, receiver: config.name, field: field, message: message)
        }
        func read(file: String, field: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail(field, "cannot read \(file)")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func env(_ name: String, field: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw fail(field, "environment variable \(name) is not set")
            }
            return value
        }
        var authorization: Secret?
        if let token = config.bearerToken {
            authorization = Secret("Bearer \(token.value)")
        } else if let file = config.bearerTokenFile {
            authorization = Secret("Bearer \(try read(file: file, field: "bearer_token_file"))")
        } else if let name = config.bearerTokenEnv {
            authorization = Secret("Bearer \(try env(name, field: "bearer_token_env"))")
        } else if let basic = config.basicAuth {
            var password = basic.password?.value ?? ""
            if let file = basic.passwordFile { password = try read(file: file, field: "basic_auth.password_file") }
            if let name = basic.passwordEnv { password = try env(name, field: "basic_auth.password_env") }
            let encoded = Data("\(basic.username):\(password)".utf8).base64EncodedString()
            authorization = Secret("Basic \(encoded)")
        }
        self.authorization = authorization
        if let key = config.routingKey {
            routingKey = key
        } else if let file = config.routingKeyFile {
            routingKey = Secret(try read(file: file, field: "routing_key_file"))
        } else {
            routingKey = nil
        }
    }
}
