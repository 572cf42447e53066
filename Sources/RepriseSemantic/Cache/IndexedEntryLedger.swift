import Reprise

/// What the semantic index holds and until when, so that expired vectors are dropped and the index never
/// grows past its bound: every few hundred insertions the expired entries go, and when more than
/// `capacity` remain, the tenth expiring soonest go too.
struct IndexedEntryLedger: Sendable {
    struct Removal: Hashable, Sendable {
        var key: String
        var scope: String
    }

    let capacity: Int
    private var entries: [String: (scope: String, expiresAt: EpochInstant)] = [:]
    private var insertionsSinceSweep = 0
    /// Insertions between two sweeps for expired entries.
    static let sweepInterval = 512

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { entries.count }

    /// Notes that `key` is indexed in `scope` until `expiresAt`.
    /// - Returns: what must now be removed from the index.
    mutating func insert(_ key: String, scope: String, expiresAt: EpochInstant, now: EpochInstant) -> [Removal] {
        if let previous = entries[key], previous.scope != scope {
            // A key belongs to one scope; should it move, the old vector must go.
            entries[key] = (scope, expiresAt)
            return [Removal(key: key, scope: previous.scope)] + sweepIfDue(now: now)
        }
        entries[key] = (scope, expiresAt)
        return sweepIfDue(now: now)
    }

    /// Notes that `key` left the index.
    mutating func remove(_ key: String) {
        entries[key] = nil
    }

    private mutating func sweepIfDue(now: EpochInstant) -> [Removal] {
        insertionsSinceSweep += 1
        guard insertionsSinceSweep >= Self.sweepInterval || entries.count > capacity else { return [] }
        insertionsSinceSweep = 0
        var removals = entries.filter { $0.value.expiresAt <= now }.map { Removal(key: $0.key, scope: $0.value.scope) }
        for removal in removals { entries[removal.key] = nil }
        if entries.count > capacity {
            let excess = entries.count - capacity + capacity / 10
            let soonest = entries.sorted { $0.value.expiresAt < $1.value.expiresAt }.prefix(excess)
            for (key, value) in soonest {
                removals.append(Removal(key: key, scope: value.scope))
                entries[key] = nil
            }
        }
        return removals
    }
}
