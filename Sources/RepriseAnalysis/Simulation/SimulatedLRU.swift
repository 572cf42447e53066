import Reprise

/// A least-recently-used set of keys bounded by count or by bytes, for the simulation: it keeps no
/// answers, only keys, sizes and recency (a ``Reprise/ByteBoundedLRU`` of keys, as the memory store keeps).
struct SimulatedLRU: Sendable {
    private var keys: ByteBoundedLRU<UInt64, Void>

    init(entryLimit: Int) {
        keys = ByteBoundedLRU(capacityBytes: .max, maximumCount: entryLimit)
    }

    init(byteLimit: Int) {
        keys = ByteBoundedLRU(capacityBytes: byteLimit)
    }

    /// Whether `key` was held (a hit); either way it is now the most recently used, evicting others to fit.
    mutating func access(_ key: UInt64, size: Int) -> Bool {
        if keys.value(for: key) != nil { return true }
        keys.insert((), for: key, size: size)
        return false
    }
}
