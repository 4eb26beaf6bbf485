import Foundation
import Synchronization

/// Loads rule files into groups, swaps them on reload without losing alert state, and
/// evaluates the groups that are due (Prometheus's `rules.Manager`).
///
/// Reload diffing: a group whose key (`file;name`) survives takes over the old group's alerts
/// rule by rule; a group that disappears writes staleness markers for its series; files with
/// errors change nothing.
public final class RuleManager: Sendable {
    /// The interval of groups without `interval:` (Prometheus's `evaluation_interval`).
    public let defaultInterval: Int64
    private let options: RuleGroup.Options
    private let groupsByKey = Mutex<[RuleGroup]>([])
    /// Whether a load has succeeded: only the groups of the first one restore `for` state.
    private let loadedOnce = Mutex(false)
    /// Held while evaluating, so that callers on several tasks (a timer and a "data arrived"
    /// signal) never evaluate one due timestamp twice: "is it due" and "evaluate" are one step.
    private let evaluating = Mutex(())

    /// A manager with no groups yet; call `update(files:at:)`.
    public init(options: RuleGroup.Options, defaultInterval: Int64 = 60_000) {
        self.options = options
        self.defaultInterval = defaultInterval
    }

    /// The groups in file order, then group order.
    public var groups: [RuleGroup] { groupsByKey.withLock { $0 } }

    /// Loads `files` (paths in the order given). On any error nothing changes and every
    /// error of every file is returned; otherwise the new groups replace the old ones, taking
    /// over the state of surviving groups, and removed groups' series are marked stale at `now`.
    @discardableResult
    public func update(files: [String], at now: Int64) -> Result<Void, RuleFileErrors> {
        let restore = !loadedOnce.withLock { $0 }
        switch Self.loadGroups(files: files, defaultInterval: defaultInterval, options: options, restore: restore) {
        case .failure(let errors):
            return .failure(errors)
        case .success(let fresh):
            let removed: [RuleGroup] = groupsByKey.withLock { current in
                var oldByKey: [String: RuleGroup] = [:]
                for group in current { oldByKey[group.key] = group }
                for group in fresh {
                    if let old = oldByKey.removeValue(forKey: group.key) { group.adoptState(of: old) }
                }
                current = fresh
                return Array(oldByKey.values)
            }
            for group in removed { group.markStale(at: now) }
            loadedOnce.withLock { $0 = true }
            return .success(())
        }
    }

    /// Parses every file and builds its groups; collects the errors of all files.
    public static func loadGroups(files: [String], defaultInterval: Int64, options: RuleGroup.Options,
                                  restore: Bool = false) -> Result<[RuleGroup], RuleFileErrors> {
        var errors: [RuleFileError] = []
        var groups: [RuleGroup] = []
        for file in files {
            switch RuleFileLoader.load(path: file) {
            case .failure(let fileErrors): errors += fileErrors.errors
            case .success(let ruleFile):
                groups += ruleFile.groups.map {
                    RuleGroup($0, file: file, defaultInterval: defaultInterval, options: options, restore: restore)
                }
            }
        }
        return errors.isEmpty ? .success(groups) : .failure(RuleFileErrors(errors))
    }

    /// Evaluates every group whose next aligned evaluation is due at `now` (milliseconds).
    /// Returns how many groups ran. Safe to call from several tasks at once.
    @discardableResult
    public func evaluateDue(at now: Int64) -> Int {
        evaluating.withLock { _ in
            var ran = 0
            for group in groups {
                if let timestamp = group.dueEvaluation(at: now) {
                    group.evaluate(at: timestamp)
                    ran += 1
                }
            }
            return ran
        }
    }

    /// Evaluates every group at `timestamp`, in order, whatever their intervals.
    public func evaluate(at timestamp: Int64) {
        evaluating.withLock { _ in
            for group in groups { group.evaluate(at: timestamp) }
        }
    }

    /// Every alert of every group.
    public var alerts: [Alert] { groups.flatMap(\.alerts) }

    /// Runs until cancelled: every `tick` (default one second) evaluates the groups that are
    /// due at the wall-clock time `now()`.
    public func run(tick: Duration = .seconds(1), now: @Sendable () -> Int64 = RuleManager.wallClock) async {
        while !Task.isCancelled {
            evaluateDue(at: now())
            try? await Task.sleep(for: tick)
        }
    }

    /// Milliseconds since the Unix epoch, now.
    @Sendable public static func wallClock() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
