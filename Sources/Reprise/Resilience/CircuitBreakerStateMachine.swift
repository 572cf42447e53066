/// When to stop asking a failing store, and when to try it again — decisions only, no I/O, so every
/// transition is tested directly.
///
/// - **Closed**: every operation goes through; `failureThreshold` failures in a row open the breaker.
/// - **Open**: operations are refused without asking the store until the backoff has passed. The
///   backoff doubles each time a probe fails, from `baseBackoff` up to `maximumBackoff`.
/// - **Half-open**: one operation (the probe) goes through while others are refused; its success closes
///   the breaker and resets the backoff, its failure opens it again for longer.
struct CircuitBreakerStateMachine: Sendable {
    enum State: Sendable, Equatable {
        case closed(consecutiveFailures: Int)
        case open(until: EpochInstant, trips: Int)
        case halfOpen(trips: Int)

        /// The breaker state as a metric value: 0 closed, 1 half-open, 2 open.
        var gaugeValue: Int {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }

        var name: String {
            switch self {
            case .closed: "closed"
            case .halfOpen: "half-open"
            case .open: "open"
            }
        }
    }

    /// What to do with one operation.
    enum Permission: Sendable, Equatable {
        /// Ask the store.
        case proceed
        /// Ask the store: this operation is the probe of a half-open breaker.
        case probe
        /// Do not ask the store; it may be tried again after this long.
        case refuse(retryAfter: Duration)
    }

    let failureThreshold: Int
    let baseBackoff: Duration
    let maximumBackoff: Duration
    private(set) var state = State.closed(consecutiveFailures: 0)

    init(failureThreshold: Int, baseBackoff: Duration, maximumBackoff: Duration) {
        self.failureThreshold = max(1, failureThreshold)
        self.baseBackoff = baseBackoff
        self.maximumBackoff = max(baseBackoff, maximumBackoff)
    }

    /// Whether an operation starting at `now` may ask the store.
    mutating func permission(at now: EpochInstant) -> Permission {
        switch state {
        case .closed:
            return .proceed
        case .open(let until, let trips):
            guard now >= until else { return .refuse(retryAfter: now.duration(to: until)) }
            state = .halfOpen(trips: trips)
            return .probe
        case .halfOpen:
            return .refuse(retryAfter: baseBackoff)
        }
    }

    /// Records a successful operation; answers the new state when it changed.
    mutating func recordSuccess() -> State? {
        switch state {
        case .closed(0): return nil
        case .closed: state = .closed(consecutiveFailures: 0); return nil
        case .open, .halfOpen:
            state = .closed(consecutiveFailures: 0)
            return state
        }
    }

    /// Records a failed operation at `now`; answers the new state when it changed.
    mutating func recordFailure(at now: EpochInstant) -> State? {
        switch state {
        case .closed(let failures):
            guard failures + 1 >= failureThreshold else {
                state = .closed(consecutiveFailures: failures + 1)
                return nil
            }
            state = .open(until: now.advanced(by: backoff(trips: 1)), trips: 1)
            return state
        case .halfOpen(let trips):
            state = .open(until: now.advanced(by: backoff(trips: trips + 1)), trips: trips + 1)
            return state
        case .open:
            // A failure of an operation that started before the breaker opened changes nothing.
            return nil
        }
    }

    /// `baseBackoff × 2^(trips − 1)`, at most `maximumBackoff`.
    func backoff(trips: Int) -> Duration {
        var backoff = baseBackoff
        for _ in 1..<max(1, trips) {
            backoff = backoff * 2
            if backoff >= maximumBackoff { return maximumBackoff }
        }
        return min(backoff, maximumBackoff)
    }
}
