import Foundation
import Logging

/// Logs to stderr at `LOG_LEVEL` (default info), set up once per process.
enum LoggingBootstrap {
    private static let done: Void = {
        let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func once() { _ = done }
}
