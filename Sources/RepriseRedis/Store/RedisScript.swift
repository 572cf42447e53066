import Crypto

/// A Lua script run with `EVALSHA`, sent in full with `EVAL` only when the node does not know it yet
/// (a new or restarted node answers `NOSCRIPT`).
///
/// Every key a script touches is passed in `KEYS` and shares one hash tag, so a cluster node runs it
/// atomically on keys it owns.
struct RedisScript: Sendable {
    let source: String
    let sha: String

    init(_ source: String) {
        self.source = source
        self.sha = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Runs the script on the node owning `keys[0]`'s slot.
    /// - Throws: ``RedisError`` when the script fails or the node cannot be reached.
    func run(on client: any RedisClient, keys: [String], arguments: [RedisArgument]) async throws -> RESPValue {
        let tail = [RedisArgument(keys.count)] + keys.map { RedisArgument($0) } + arguments
        let routingKey = Array(keys[0].utf8)
        var reply = try await client.send(RedisCommand("EVALSHA", [RedisArgument(sha)] + tail), routingKey: routingKey)
        if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") {
            reply = try await client.send(RedisCommand("EVAL", [RedisArgument(source)] + tail), routingKey: routingKey)
        }
        if case .error(let message) = reply { throw RedisError.serverError(message, command: "a Reprise script") }
        return reply
    }
}

extension RedisScript {
    /// Stores one entry and adds it to its indexes.
    ///
    /// KEYS: entry, then every index (all, namespace prefixes, model).
    /// ARGV: hex, record, namespace, model, retention in ms, score (retainedUntil, ms), now (ms).
    static let setEntry = RedisScript(#"""
        local entry = KEYS[1]
        local retention = tonumber(ARGV[5])
        redis.call('DEL', entry)
        redis.call('HSET', entry, 'd', ARGV[2], 'n', ARGV[3], 'm', ARGV[4])
        redis.call('PEXPIRE', entry, retention)
        for i = 2, #KEYS do
            local index = KEYS[i]
            redis.call('ZREMRANGEBYSCORE', index, '-inf', ARGV[7])
            redis.call('ZADD', index, ARGV[6], ARGV[1])
            local ttl = redis.call('PTTL', index)
            if ttl == -1 or (ttl >= 0 and ttl < retention) then
                redis.call('PEXPIRE', index, retention)
            end
        end
        return 1
        """#)

    /// Removes one entry. KEYS: entry, all index. ARGV: hex. Returns 1 when an entry was removed.
    static let removeEntry = RedisScript(#"""
        local removed = redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return removed
        """#)

    /// Removes the listed entries that match the filter, and drops stale members from the scanned index.
    ///
    /// KEYS: the scanned index, the all index, then one entry key per listed member.
    /// ARGV: index kind (`ns`, `model` or `all`), has namespace (`1`/`0`), namespace, has model, model,
    /// then the listed members (hex), in the order of their entry keys. Returns how many were removed.
    static let purgeEntries = RedisScript(#"""
        local kind, hasNamespace, namespace, hasModel, model = ARGV[1], ARGV[2] == '1', ARGV[3], ARGV[4] == '1', ARGV[5]
        local function inNamespace(n)
            return n == namespace or string.sub(n, 1, #namespace + 1) == namespace .. '.'
        end
        local removed = 0
        for i = 3, #KEYS do
            local member = ARGV[i + 3]
            local fields = redis.call('HMGET', KEYS[i], 'n', 'm')
            local n, m = fields[1], fields[2]
            if not n then
                redis.call('ZREM', KEYS[1], member)
                redis.call('ZREM', KEYS[2], member)
            else
                local matches = (not hasNamespace or inNamespace(n)) and (not hasModel or m == model)
                if matches then
                    removed = removed + redis.call('DEL', KEYS[i])
                    redis.call('ZREM', KEYS[1], member)
                    redis.call('ZREM', KEYS[2], member)
                elseif (kind == 'ns' and not inNamespace(n)) or (kind == 'model' and m ~= model) then
                    redis.call('ZREM', KEYS[1], member)
                end
            end
        end
        return removed
        """#)
}
