/// Resolves the `@` modifier: a selector or subquery with `@` reads at that time (the
/// query's start or end for `@ start()` / `@ end()`), whatever the evaluation step.
struct AtAnchors {
    let queryStart: Int64
    let queryEnd: Int64

    /// The time a selector or subquery with modifier `at` reads when evaluated at `time`.
    func resolve(_ at: AtModifier?, _ time: Int64) -> Int64 {
        switch at {
        case nil: time
        case .time(let fixed): fixed
        case .start: queryStart
        case .end: queryEnd
        }
    }
}
