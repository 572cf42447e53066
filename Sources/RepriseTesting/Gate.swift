import Synchronization

/// A gate tasks wait at while it is closed: ``open()`` lets every waiter through, and later ones pass at once
/// until it is closed again. Tests use it to hold work at a known point instead of sleeping.
public final class Gate: Sendable {
    private let state: Mutex<(isOpen: Bool, waiters: [CheckedContinuation<Void, Never>])>

    public init(open: Bool = false) {
        state = Mutex((open, []))
    }

    /// Makes later ``wait()`` calls wait.
    public func close() {
        state.withLock { $0.isOpen = false }
    }

    /// Lets every waiting task through, and later ones until the next ``close()``.
    public func open() {
        let waiters = state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the gate is open (at once when it is).
    public func wait() async {
        await withCheckedContinuation { continuation in
            let passes = state.withLock { state in
                if !state.isOpen { state.waiters.append(continuation) }
                return state.isOpen
            }
            if passes { continuation.resume() }
        }
    }
}
