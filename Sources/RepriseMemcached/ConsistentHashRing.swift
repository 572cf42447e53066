import Crypto

/// Ketama-style consistent hashing: each server owns many points on a 32-bit ring, and a key belongs to
/// the first point at or after its hash. Adding a server moves only the keys its new points take —
/// about 1/(n+1) of them — instead of reshuffling nearly all keys as `hash % n` would.
///
/// Points come from MD5 of `"<host>:<port>-<i>"`, four 32-bit points per digest, as in libmemcached's
/// ketama mode, so the ring depends only on the server list.
struct ConsistentHashRing: Sendable {
    private let points: [(hash: UInt32, server: Int)]

    /// - Parameters:
    ///   - servers: the servers; a key maps to an index into this array.
    ///   - pointsPerServer: how many points each server owns (rounded up to a multiple of 4).
    init(servers: [MemcachedServer], pointsPerServer: Int) {
        var points: [(hash: UInt32, server: Int)] = []
        points.reserveCapacity(servers.count * pointsPerServer)
        for (index, server) in servers.enumerated() {
            for group in 0..<((pointsPerServer + 3) / 4) {
                let digest = Array(Insecure.MD5.hash(data: Array("\(server.host):\(server.port)-\(group)".utf8)))
                for part in 0..<4 {
                    points.append((Self.word(digest, at: part * 4), index))
                }
            }
        }
        self.points = points.sorted { $0.hash != $1.hash ? $0.hash < $1.hash : $0.server < $1.server }
    }

    /// The index of the server that owns `key`.
    /// - Complexity: O(log p) in the number of points.
    func server(for key: String) -> Int {
        let hash = Self.word(Array(Insecure.MD5.hash(data: Array(key.utf8))), at: 0)
        var low = 0
        var high = points.count
        while low < high {
            let middle = (low + high) / 2
            if points[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        return points[low == points.count ? 0 : low].server
    }

    private static func word(_ digest: [UInt8], at offset: Int) -> UInt32 {
        UInt32(digest[offset + 3]) << 24 | UInt32(digest[offset + 2]) << 16 | UInt32(digest[offset + 1]) << 8 | UInt32(digest[offset])
    }
}
