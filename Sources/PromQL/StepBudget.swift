/// Counts subquery steps across one query (shared by the evaluator's copies).
final class StepBudget {
    private var remaining: Int

    init(limit: Int) {
        remaining = limit
    }

    func spend(_ steps: Int) throws(EvalError) {
        remaining -= steps
        if remaining < 0 { throw EvalError("query processing would load too many samples into memory in query execution") }
    }
}
