import Logging
import Reprise
import ServiceLifecycle

/// Sweeps expired entries out of a store that keeps them until told (memory, SQLite) at a fixed interval,
/// so memory and disk held by entries nobody asks for again are given back. (Lookups never return an
/// expired entry whether or not it was swept.)
public struct ExpirySweepService<C: EpochClock>: Service {
    let store: any ExpiringCacheStore
    let interval: Duration
    let clock: C
    let logger: Logger

    public init(store: any ExpiringCacheStore, interval: Duration, clock: C, logger: Logger) {
        self.store = store
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                return
            }
            do {
                let removed = try await store.removeExpiredEntries()
                if removed > 0 {
                    logger.debug("Swept expired entries", metadata: ["Reprise.store.removed": "\(removed)"])
                }
            } catch {
                logger.warning("Expiry sweep failed; trying again next interval", metadata: ["Reprise.error": "\(error)"])
            }
        }
    }
}
