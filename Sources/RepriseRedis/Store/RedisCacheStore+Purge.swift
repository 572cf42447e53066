import Reprise

extension RedisCacheStore {
    /// How many index members one purge script checks at once, so no script blocks Redis for long.
    static var purgeBatchSize: Int { 256 }

    /// Removes the matching entries bucket by bucket: scans the narrowest index the filter allows (the
    /// namespace's, else the model's, else the bucket's list of all entries) with `ZSCAN`, and hands each
    /// batch of members to a script that checks every entry's own namespace and model before removing it.
    /// - Complexity: O(m) in the members of the scanned indexes, in batches of ``purgeBatchSize``, over
    ///   ``RedisKeyLayout/bucketCount`` buckets run concurrently.
    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        try await forEachBucket { bucket in try await self.purge(bucket: bucket, filter: filter) }
    }

    private func purge(bucket: Int, filter: CachePurgeFilter) async throws -> Int {
        let layout = keyLayout
        let (index, kind) = if let namespace = filter.namespace {
            (layout.namespaceIndex(bucket, namespace), "ns")
        } else if let model = filter.model {
            (layout.modelIndex(bucket, model), "model")
        } else {
            (layout.allIndex(bucket), "all")
        }
        var cursor = "0"
        var removed = 0
        repeat {
            let reply = try await redisClient.execute("ZSCAN", key: index, [RedisArgument(cursor), "COUNT", RedisArgument(Self.purgeBatchSize)])
            guard let parts = reply.elements, parts.count == 2, let next = parts[0].string, let flat = parts[1].elements else {
                throw RedisError.protocolError("ZSCAN did not answer [cursor, members]")
            }
            cursor = next
            // ZSCAN answers member, score, member, score…
            let members = stride(from: 0, to: flat.count, by: 2).compactMap { flat[$0].string }
            guard !members.isEmpty else { continue }
            removed += try await purgeBatch(members, bucket: bucket, index: index, kind: kind, filter: filter)
        } while cursor != "0"
        return removed
    }

    private func purgeBatch(
        _ members: [String], bucket: Int, index: String, kind: String, filter: CachePurgeFilter
    ) async throws -> Int {
        let layout = keyLayout
        let entryKeys = members.map { layout.base(bucket) + "e:" + $0 }
        let arguments: [RedisArgument] = [
            RedisArgument(kind), filter.namespace == nil ? "0" : "1", RedisArgument(filter.namespace ?? ""),
            filter.model == nil ? "0" : "1", RedisArgument(filter.model ?? ""),
        ] + members.map { RedisArgument($0) }
        let reply = try await RedisScript.purgeEntries.run(
            on: redisClient, keys: [index, layout.allIndex(bucket)] + entryKeys, arguments: arguments)
        return Int(reply.integer ?? 0)
    }
}
