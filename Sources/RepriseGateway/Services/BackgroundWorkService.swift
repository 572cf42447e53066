import Reprise
import ServiceLifecycle

/// Runs the gateway's ``BackgroundWork`` — upstream calls that outlive their request, semantic indexing and
/// verification — as one of its services: on graceful shutdown it takes no more work and returns once the
/// running jobs end (the server, shut down before it, has stopped taking requests by then); cancelled, it
/// cancels them.
struct BackgroundWorkService: Service {
    let work: BackgroundWork

    func run() async throws {
        await withGracefulShutdownHandler {
            await work.run()
        } onGracefulShutdown: {
            work.finish()
        }
    }
}
