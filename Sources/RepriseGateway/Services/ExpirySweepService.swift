import Logging
import Reprise
import ServiceLifecycle

/// Sweeps expired entries out of the memory store at a fixed interval, so memory held by entries nobody
/// asks for again is given back. (Lookups never return an expired entry whether or not it was swept.)
struct ExpirySweepService<C: EpochClock>: Service {
    let store: MemoryCacheStore<C>
    let interval: Duration
    let clock: C
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
            let removed = store.removeExpiredEntries()
            if removed > 0 {
                logger.debug("Swept expired entries", metadata: ["Reprise.store.removed": "\(removed)"])
            }
        }
    }
}
