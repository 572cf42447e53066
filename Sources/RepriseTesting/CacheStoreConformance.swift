import Reprise

/// The behaviour every ``CacheStore`` must show, as one shared suite: memory, embedded and network stores
/// all pass the same checks, so a new backend adds one test line.
///
/// ```swift
/// @Test(arguments: CacheStoreConformance.Check.allCases)
/// func conformance(_ check: CacheStoreConformance.Check) async throws {
///     try await CacheStoreConformance.run(check) { clock in MemoryCacheStore(clock: clock) }
/// }
/// ```
///
/// Each check asks `makeStore` for a new, empty store reading the given ``ManualClock``, so expiry is
/// tested by moving the clock rather than by sleeping. The store must hold at least 8 MiB (one check
/// stores a 1 MiB body, another 200 small entries). Checks that depend on a size bound, such as
/// least-recently-used eviction, are not here: a network store may not enforce the bound itself. A store
/// that cannot enumerate its entries (``CacheStore/countsEntriesExactly`` is `false`) is not held to
/// exact counts from `statistics()` and purges; that every purged entry is gone and every kept one
/// still reads back is checked all the same.
public enum CacheStoreConformance {
    /// One requirement of ``CacheStore``, checked on its own.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        case roundTripKeepsEveryField
        case missOnUnknownKey
        case setReplacesEntryUnderSameKey
        case entryExpiresAtCreationPlusTimeToLive
        case staleEntryServedOnlyWithinItsRetention
        case nonPositiveTimeToLiveIsNotStored
        case removeEntryReportsWhetherItRemoved
        case purgeByNamespaceIncludesNarrowedNamespaces
        case purgeByModel
        case purgeByNamespaceAndModel
        case purgeEverything
        case statisticsCountEntries
        case concurrentUse
        case binaryBodies

        public var description: String {
            switch self {
            case .roundTripKeepsEveryField: "an entry reads back with every field equal, byte for byte"
            case .missOnUnknownKey: "a key never stored is a miss"
            case .setReplacesEntryUnderSameKey: "setting a key again replaces its entry"
            case .entryExpiresAtCreationPlusTimeToLive: "an entry is fresh until createdAt + TTL and gone from that instant"
            case .staleEntryServedOnlyWithinItsRetention: "an expired entry is returned only to a caller accepting staleness, within the entry's retention"
            case .nonPositiveTimeToLiveIsNotStored: "an entry with a zero or negative TTL is not stored"
            case .removeEntryReportsWhetherItRemoved: "removing an entry answers true, then false"
            case .purgeByNamespaceIncludesNarrowedNamespaces: "a namespace purge takes its narrowed namespaces, not look-alikes"
            case .purgeByModel: "a model purge takes exactly that model"
            case .purgeByNamespaceAndModel: "a purge with two conditions takes entries meeting both"
            case .purgeEverything: "an unconditional purge empties the store"
            case .statisticsCountEntries: "statistics count the entries held"
            case .concurrentUse: "200 concurrent tasks on shared and separate keys leave every entry readable"
            case .binaryBodies: "empty, all-byte-values and 1 MiB bodies round-trip exactly"
            }
        }
    }

    /// Runs `check` against a new store from `makeStore`.
    /// - Throws: ``ConformanceFailure`` naming the check, the expected and the actual outcome; or whatever
    ///   the store throws.
    public static func run(
        _ check: Check, makeStore: @Sendable (ManualClock) async throws -> any CacheStore
    ) async throws {
        let clock = ManualClock()
        let probe = ConformanceProbe(check: check, clock: clock, store: try await makeStore(clock))
        switch check {
        case .roundTripKeepsEveryField: try await checkRoundTrip(probe)
        case .missOnUnknownKey: try await checkMiss(probe)
        case .setReplacesEntryUnderSameKey: try await checkReplace(probe)
        case .entryExpiresAtCreationPlusTimeToLive: try await checkExpiry(probe)
        case .staleEntryServedOnlyWithinItsRetention: try await checkStaleRetention(probe)
        case .nonPositiveTimeToLiveIsNotStored: try await checkNonPositiveTimeToLive(probe)
        case .removeEntryReportsWhetherItRemoved: try await checkRemove(probe)
        case .purgeByNamespaceIncludesNarrowedNamespaces: try await checkPurgeByNamespace(probe)
        case .purgeByModel: try await checkPurgeByModel(probe)
        case .purgeByNamespaceAndModel: try await checkPurgeByNamespaceAndModel(probe)
        case .purgeEverything: try await checkPurgeEverything(probe)
        case .statisticsCountEntries: try await checkStatistics(probe)
        case .concurrentUse: try await checkConcurrentUse(probe)
        case .binaryBodies: try await checkBinaryBodies(probe)
        }
    }
}
