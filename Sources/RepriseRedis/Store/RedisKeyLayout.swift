import Reprise

/// How the Redis store names its keys.
///
/// Every key of the store starts with the configured prefix and a hash tag naming one of
/// ``bucketCount`` buckets, chosen from the first byte of the cache key (a SHA-256, so buckets fill
/// evenly):
///
/// ```
/// <prefix>{r<b>}e:<hex>            hash: d = entry record, n = namespace, m = model
/// <prefix>{r<b>}all                sorted set of the bucket's entry keys (hex), scored by retainedUntil (ms)
/// <prefix>{r<b>}ns:<namespace>     same, for entries of that namespace or one narrowed from it
/// <prefix>{r<b>}model:<model>      same, for entries of that model
/// ```
///
/// Why buckets rather than one index per namespace: an entry and the index members that describe it
/// must change together, or a purge could miss an entry or remove a replaced one. In a Redis Cluster
/// only keys of one slot can change together (one Lua script, run atomically by the node owning the
/// slot). Putting each entry's hash tag on its own key would scatter its index members over other
/// slots; putting every key under one tag would make one node hold the whole cache. Buckets are the
/// middle ground: an entry and all its index members share the bucket's slot and are written by one
/// script, while 64 buckets spread the cache over the cluster's nodes. A purge or a count visits
/// every bucket (64 small round trips, run concurrently), never `KEYS` or `SCAN` over the keyspace.
///
/// Index members are allowed to be stale: an entry that Redis expired, removed or replaced with
/// another namespace or model may still be listed. A purge therefore checks each listed entry's own
/// `n` and `m` fields before removing it and drops stale members as it goes; members whose score
/// (the entry's retention end) has passed are trimmed whenever their index is written, and each index
/// key expires with its longest-lived member.
struct RedisKeyLayout: Sendable {
    /// The number of buckets; changing it orphans existing entries, so it is fixed.
    static let bucketCount = 64

    let prefix: String

    func bucket(of key: CacheKey) -> Int {
        let first = key.hex.utf8.prefix(2)
        return Int(String(decoding: first, as: UTF8.self), radix: 16).map { $0 % Self.bucketCount } ?? 0
    }

    /// The common start of every key of `bucket`, hash tag included.
    func base(_ bucket: Int) -> String { "\(prefix){r\(bucket)}" }

    func entryKey(_ key: CacheKey) -> String { base(bucket(of: key)) + "e:" + key.hex }

    func allIndex(_ bucket: Int) -> String { base(bucket) + "all" }

    func namespaceIndex(_ bucket: Int, _ namespace: String) -> String { base(bucket) + "ns:" + namespace }

    func modelIndex(_ bucket: Int, _ model: String) -> String { base(bucket) + "model:" + model }

    /// The namespace indexes an entry joins: one per dot-separated prefix of its namespace, so a purge
    /// of `team` finds `team.3f9a` through the `team` index without scanning.
    func namespaceIndexes(_ bucket: Int, for namespace: String) -> [String] {
        var prefixes: [String] = []
        var current = ""
        for (position, component) in namespace.split(separator: ".", omittingEmptySubsequences: false).enumerated() {
            current += (position == 0 ? "" : ".") + component
            prefixes.append(namespaceIndex(bucket, current))
        }
        return prefixes
    }
}
