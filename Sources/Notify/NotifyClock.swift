import Foundation

/// Where the dispatcher reads the time; injected so that tests can control it.
public protocol NotifyClock: Sendable {
    /// The current time.
    func now() -> Date
}

/// The wall clock.
public struct SystemNotifyClock: NotifyClock {
    /// The wall clock.
    public init() {}
    /// `Date()`.
    public func now() -> Date { Date() }
}
