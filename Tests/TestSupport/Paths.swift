import Foundation

/// Where the package and its built products are, for tests that run our executables or read
/// fixture files by path.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        preconditionFailure("Package.swift not found above \(#filePath)")
    }()

    /// The folder of the built products (`.build/debug` or wherever `swift test` built):
    /// the folder of the running test bundle.
    public static let productsDirectory: URL = {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    }()

    /// A built executable of this package, e.g. `product("kafka-sim")`.
    public static func product(_ name: String) -> URL {
        productsDirectory.appendingPathComponent(name)
    }

    /// A fresh empty temporary directory, removed by the caller when done.
    public static func temporaryDirectory(_ prefix: String = "khm-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
