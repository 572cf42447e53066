/// Which primary node serves each of the 16,384 slots of a Redis Cluster.
struct RedisClusterSlotMap: Sendable, Hashable {
    private(set) var nodes: [RedisEndpoint] = []
    /// For each slot, an index into ``nodes``, or -1 while no node is known.
    private var owners = [Int16](repeating: -1, count: RedisHashSlot.count)

    init() {}

    /// The primary serving `slot`, if known.
    func endpoint(for slot: Int) -> RedisEndpoint? {
        let owner = owners[slot]
        return owner < 0 ? nil : nodes[Int(owner)]
    }

    /// Whether every slot has an owner.
    var coversEverySlot: Bool { !owners.contains(-1) }

    /// Records that `endpoint` serves `slots`.
    mutating func assign(_ slots: ClosedRange<Int>, to endpoint: RedisEndpoint) {
        let clamped = slots.clamped(to: 0...(RedisHashSlot.count - 1))
        let index: Int
        if let known = nodes.firstIndex(of: endpoint) {
            index = known
        } else {
            nodes.append(endpoint)
            index = nodes.count - 1
        }
        for slot in clamped { owners[slot] = Int16(index) }
    }

    /// Reads the reply of `CLUSTER SHARDS` (Redis 7+): each shard's slot ranges and its online primary.
    /// - Parameters:
    ///   - replyingNode: the node that answered, whose host stands in for a node announcing none.
    ///   - usesTLS: whether to take each node's `tls-port` rather than its `port`.
    static func fromShards(_ reply: RESPValue, replyingNode: RedisEndpoint, usesTLS: Bool) throws(RedisError) -> RedisClusterSlotMap {
        guard let shards = reply.elements else { throw .protocolError("CLUSTER SHARDS did not answer an array") }
        var map = RedisClusterSlotMap()
        for shard in shards {
            guard let fields = shard.pairs.map({ Dictionary($0, uniquingKeysWith: { first, _ in first }) }),
                let bounds = fields["slots"]?.elements?.compactMap(\.integer), bounds.count.isMultiple(of: 2),
                let nodes = fields["nodes"]?.elements
            else { throw .protocolError("a CLUSTER SHARDS entry lacks its slots or nodes") }
            let primary = nodes.lazy.compactMap { node in node.pairs.map { Dictionary($0, uniquingKeysWith: { first, _ in first }) } }
                .first { $0["role"]?.string == "master" && ($0["health"]?.string ?? "online") == "online" }
            guard let primary, let endpoint = endpoint(of: primary, replyingNode: replyingNode, usesTLS: usesTLS) else { continue }
            for index in stride(from: 0, to: bounds.count, by: 2) {
                map.assign(Int(bounds[index])...Int(bounds[index + 1]), to: endpoint)
            }
        }
        return map
    }

    /// Reads the reply of `CLUSTER SLOTS` (deprecated since Redis 7, still answered): each range with
    /// its primary first.
    static func fromSlots(_ reply: RESPValue, replyingNode: RedisEndpoint) throws(RedisError) -> RedisClusterSlotMap {
        guard let ranges = reply.elements else { throw .protocolError("CLUSTER SLOTS did not answer an array") }
        var map = RedisClusterSlotMap()
        for range in ranges {
            guard let parts = range.elements, parts.count >= 3, let start = parts[0].integer, let end = parts[1].integer,
                let primary = parts[2].elements, primary.count >= 2, let port = primary[1].integer
            else { throw .protocolError("a CLUSTER SLOTS entry is not [start, end, [host, port, …], …]") }
            let host = primary[0].string.flatMap { $0.isEmpty || $0 == "?" ? nil : $0 } ?? replyingNode.host
            map.assign(Int(start)...Int(end), to: RedisEndpoint(host: host, port: Int(port)))
        }
        return map
    }

    private static func endpoint(of node: [String: RESPValue], replyingNode: RedisEndpoint, usesTLS: Bool) -> RedisEndpoint? {
        let port = (usesTLS ? node["tls-port"]?.integer : nil) ?? node["port"]?.integer
        guard let port else { return nil }
        let announced = [node["endpoint"]?.string, node["ip"]?.string].compactMap { $0 }.first { !$0.isEmpty && $0 != "?" }
        return RedisEndpoint(host: announced ?? replyingNode.host, port: Int(port))
    }
}
