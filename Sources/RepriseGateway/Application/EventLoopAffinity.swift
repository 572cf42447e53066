import NIOCore
import NIOPosix
import Synchronization

/// Keeps each request's work on the event loop that owns its connection.
///
/// Once `reprise serve` installs NIO's event loops as Swift Concurrency's global executor, a task stays on
/// the loop it last ran on. Hummingbird starts every connection's task on the loop that accepted the
/// connection, not on the loop the connection was given, so without help each request crosses threads
/// twice — its body read on one loop, its handler run on another — and on a virtual machine each crossing
/// wakes an idle core (0.1–0.2 ms). ``join(_:)`` moves a request's task onto its connection's loop once;
/// from then on the handler, the upstream call (AsyncHTTPClient prefers an idle connection on the caller's
/// loop) and the response write all stay there. `docs/benchmarks.md` has the measurements.
public enum EventLoopAffinity {
    private static let installed = Atomic(false)

    /// Installs NIO's event loops as the global executor; call once, first thing in the process.
    /// - Returns: whether the installation took effect (it cannot when another executor was installed).
    @discardableResult
    public static func install() -> Bool {
        let done = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        installed.store(done, ordering: .relaxed)
        return done
    }

    /// Whether jobs run on the event loops, so that joining a loop means something.
    public static var isInstalled: Bool { installed.load(ordering: .relaxed) }

    /// Moves the calling task onto `loop` when it is not already there (a no-op unless ``install()`` took
    /// effect, as in tests).
    static func join(_ loop: any EventLoop) async {
        guard isInstalled, !loop.inEventLoop else { return }
        // The continuation resumes from `loop`'s thread, so the task is enqueued on `loop`.
        try? await loop.submit {}.get()
    }
}
