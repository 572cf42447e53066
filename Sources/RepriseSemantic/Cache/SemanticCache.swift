import Logging
import Reprise
import Synchronization

/// The gateway's semantic layer: embeds the last user turn of requests the policy lets match semantically,
/// finds entries stored for similar turns in the same scope, checks each candidate (still stored, same
/// scope, exact similarity over the threshold, no guard vetoes), and indexes newly stored answers.
///
/// Vectors live in memory in a ``ScopedVectorIndex`` and, so that replicas and restarts see the same
/// entries, in a ``SemanticScopeList`` per scope kept in the cache store. A scope's list is read when the
/// scope is first looked up and again once ``SemanticSettings/refreshInterval`` has passed; additions are
/// merged into it in the background, one writer per scope. Two replicas adding to one scope at the same
/// instant can lose one addition from the shared list: that entry is then matchable only on the replica
/// that stored it, never served wrongly.
public final class SemanticCache: Sendable {
    public let settings: SemanticSettings
    public let embedder: any Embedder
    /// Names the embedder, so vectors of another model are never compared with this one's.
    public let embedderName: String
    private let store: any CacheStore
    private let clock: any EpochClock
    private let keyBuilder: CacheKeyBuilder
    private let logger: Logger
    private let metrics: SemanticMetrics
    /// Where indexing and scope-list writes run, owned and awaited by the gateway.
    private let background: BackgroundWork
    private let index: ScopedVectorIndex
    /// When each scope list (by its key) was last read from the store.
    private let refreshedAt = Mutex<[CacheKey: ContinuousClock.Instant]>([:])
    /// What the index holds and until when.
    private let ledger: Mutex<IndexedEntryLedger>
    /// Background embeddings of stored answers in flight.
    private let backgroundEmbeddings = Mutex(0)
    /// The most background embeddings at once; answers stored beyond that are left out of the index.
    public static let maximumBackgroundEmbeddings = 8
    /// Members waiting to be merged into each scope list, and whether a writer is running for it.
    private let pendingWrites = Mutex<[CacheKey: PendingWrite]>([:])

    private struct PendingWrite {
        var namespace: String
        var members: [SemanticScopeList.Member]
    }

    public init(
        settings: SemanticSettings, embedder: any Embedder, embedderName: String, store: any CacheStore,
        clock: any EpochClock, background: BackgroundWork, keyBuilder: CacheKeyBuilder, metrics: SemanticMetrics, logger: Logger
    ) {
        self.settings = settings
        self.background = background
        self.embedder = embedder
        self.embedderName = embedderName
        self.store = store
        self.clock = clock
        self.keyBuilder = keyBuilder
        self.metrics = metrics
        self.logger = logger
        // Exact search up to 20,000 entries a scope, an HNSW graph past that (AdaptiveVectorIndex).
        self.index = ScopedVectorIndex.adaptive(dimension: embedder.dimension)
        self.ledger = Mutex(IndexedEntryLedger(capacity: settings.maximumIndexedEntries))
    }

    /// How many vectors the index holds.
    public var indexedEntries: Int { ledger.withLock { $0.count } }

    private func indexVector(_ vector: [Float], key: String, scope: String, expiresAt: EpochInstant) {
        let now = clock.now
        let removals = ledger.withLock { $0.insert(key, scope: scope, expiresAt: expiresAt, now: now) }
        index.insert(vector, for: key, scope: scope)
        for removal in removals { index.remove(removal.key, scope: removal.scope) }
    }

    private func forget(_ key: String, scope: String) {
        ledger.withLock { $0.remove(key) }
        index.remove(key, scope: scope)
    }

    /// Finds an entry to serve for `query`, or says why there is none.
    /// - Parameters:
    ///   - threshold: the similarity a match needs.
    ///   - maximumAge: the oldest entry the client accepts.
    public func lookup(_ query: SemanticQuery, namespace: String, threshold: Float, maximumAge: Duration?) async -> SemanticLookup {
        let vector: [Float]
        do {
            vector = try await embedder.embed(query.text)
        } catch {
            metrics.recordLookup(.failed)
            logger.warning("Embedding failed; answering without semantic matching", metadata: ["Reprise.error": "\(error)"])
            return .miss(vector: nil, veto: nil)
        }
        await refreshIfDue(scope: query.scope, namespace: namespace)
        // The index holds half-precision vectors from shared lists, so candidates a hair under the threshold
        // are checked too; the entry's exact vector decides.
        let candidates = index.nearest(to: vector, scope: query.scope, limit: max(1, settings.candidates))
            .filter { $0.similarity >= threshold - 0.002 }
        var veto: SemanticGuard?
        for candidate in candidates {
            guard let key = CacheKey(hex: candidate.key) else { continue }
            let entry: CacheEntry?
            do {
                entry = try await store.entry(for: key)
            } catch {
                metrics.recordLookup(.failed)
                return .miss(vector: vector, veto: veto)
            }
            guard let entry, let source = entry.semantic, source.scope == query.scope, source.vector.count == vector.count else {
                forget(candidate.key, scope: query.scope)
                continue
            }
            let similarity = VectorSimilarity.cosine(vector, source.vector)
            guard similarity >= threshold else { continue }
            if let maximumAge, entry.age(at: clock.now) > maximumAge { continue }
            if let guardThatVetoed = settings.guards.veto(query.text, source.text) {
                veto = veto ?? guardThatVetoed
                metrics.recordVeto(guardThatVetoed)
                continue
            }
            metrics.recordLookup(.hit)
            return .hit(SemanticMatch(key: key, entry: entry, similarity: similarity))
        }
        metrics.recordLookup(veto == nil ? .miss : .vetoed)
        return .miss(vector: vector, veto: veto)
    }

    /// Indexes an answer stored by a request that did not look up semantically (the policy did not let it):
    /// embeds its last user turn in the background, stores the entry again with its ``SemanticSource``, and
    /// indexes it, so later requests that may match semantically can find it. When too many embeddings are
    /// already running, the entry stays exact-only.
    public func indexInBackground(_ entry: CacheEntry, key: CacheKey, query: SemanticQuery) {
        let admitted = backgroundEmbeddings.withLock { running in
            guard running < Self.maximumBackgroundEmbeddings else { return false }
            running += 1
            return true
        }
        guard admitted else {
            metrics.recordIndexingSkipped()
            return
        }
        let started = background.submit { [self] in
            defer { backgroundEmbeddings.withLock { $0 -= 1 } }
            do {
                let vector = try await embedder.embed(query.text)
                var indexed = entry
                indexed.semantic = SemanticSource(scope: query.scope, text: query.text, vector: vector)
                try await store.setEntry(indexed, for: key)
                remember(key, source: indexed.semantic!, namespace: entry.namespace, expiresAt: entry.expiresAt)
            } catch {
                logger.debug("Stored answer not indexed for semantic matching", metadata: ["Reprise.error": "\(error)"])
            }
        }
        if started == nil { backgroundEmbeddings.withLock { $0 -= 1 } }
    }

    /// Indexes an entry just stored under `key`, here at once and in the scope's shared list shortly after.
    public func remember(_ key: CacheKey, source: SemanticSource, namespace: String, expiresAt: EpochInstant) {
        indexVector(source.vector, key: key.hex, scope: source.scope, expiresAt: expiresAt)
        let listKey = SemanticScopeList.key(namespace: namespace, scope: source.scope, embedderName: embedderName, keyBuilder: keyBuilder)
        let member = SemanticScopeList.Member(key: key, expiresAt: expiresAt, vector: source.vector)
        let startsWriter = pendingWrites.withLock { pending in
            if pending[listKey] != nil {
                pending[listKey]!.members.append(member)
                return false
            }
            pending[listKey] = PendingWrite(namespace: namespace, members: [member])
            return true
        }
        guard startsWriter else { return }
        if background.submit({ await self.writeScopeList(listKey, scope: source.scope) }) == nil {
            // Stopping: the members stay matchable on this replica until it stops.
            _ = pendingWrites.withLock { $0.removeValue(forKey: listKey) }
        }
    }

    /// Merges pending members into the stored list until none are left; one writer per list at a time.
    private func writeScopeList(_ listKey: CacheKey, scope: String) async {
        while true {
            guard let write = pendingWrites.withLock({ $0[listKey] }) else { return }
            do {
                var list = try await storedList(listKey) ?? SemanticScopeList(dimension: embedder.dimension)
                let now = clock.now
                list.merge(write.members, now: now, limit: settings.scopeLimit)
                if let last = list.members.map(\.expiresAt).max() {
                    let entry = CacheEntry(
                        body: list.serialized(), contentType: "application/vnd.reprise.semantic-scope", model: "",
                        namespace: write.namespace, route: SemanticScopeList.route, createdAt: now, timeToLive: now.duration(to: last))
                    try await store.setEntry(entry, for: listKey)
                }
            } catch {
                metrics.recordScopeListError()
                logger.warning(
                    "Semantic scope list not written; its new entries are matchable on this replica only",
                    metadata: ["Reprise.error": "\(error)"])
            }
            let done = pendingWrites.withLock { pending -> Bool in
                guard var remaining = pending[listKey] else { return true }
                remaining.members.removeFirst(min(write.members.count, remaining.members.count))
                if remaining.members.isEmpty {
                    pending[listKey] = nil
                    return true
                }
                pending[listKey] = remaining
                return false
            }
            if done { return }
        }
    }

    /// Reads the scope's shared list into the index when it was never read or not for a while.
    private func refreshIfDue(scope: String, namespace: String) async {
        let listKey = SemanticScopeList.key(namespace: namespace, scope: scope, embedderName: embedderName, keyBuilder: keyBuilder)
        let now = ContinuousClock.now
        let due = refreshedAt.withLock { refreshed in
            if let last = refreshed[listKey], now - last < settings.refreshInterval { return false }
            refreshed[listKey] = now
            return true
        }
        guard due else { return }
        do {
            guard let list = try await storedList(listKey) else { return }
            let instant = clock.now
            for member in list.members where member.expiresAt > instant && member.vector.count == index.dimension {
                indexVector(member.vector, key: member.key.hex, scope: scope, expiresAt: member.expiresAt)
            }
        } catch {
            refreshedAt.withLock { $0[listKey] = nil }
            metrics.recordScopeListError()
            logger.debug("Semantic scope list not read", metadata: ["Reprise.error": "\(error)"])
        }
    }

    private func storedList(_ listKey: CacheKey) async throws -> SemanticScopeList? {
        guard let entry = try await store.entry(for: listKey), entry.route == SemanticScopeList.route else { return nil }
        do {
            return try SemanticScopeList(serialized: entry.body)
        } catch {
            logger.warning("Semantic scope list unreadable; starting it afresh", metadata: ["Reprise.error": "\(error)"])
            return nil
        }
    }
}
