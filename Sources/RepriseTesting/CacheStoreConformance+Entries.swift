import Reprise

/// Checks on single entries: storing, reading, replacing, expiring and removing them.
extension CacheStoreConformance {
    static func checkRoundTrip(_ probe: ConformanceProbe) async throws {
        // Off a whole second, so a store that keeps creation times in whole seconds is caught.
        probe.clock.advance(by: .milliseconds(1234))
        let entry = CacheEntry(
            body: Array(#"{"id":"chatcmpl-1","choices":[{"message":{"content":"héllo ✓ 日本"}}]}"#.utf8),
            status: 203, contentType: "application/json; charset=utf-8", model: "gpt-4o-2024-08-06",
            namespace: "0123456789abcdef.fedcba98", route: "/v1/chat/completions",
            usage: TokenUsage(promptTokens: 1234, completionTokens: 567, cachedPromptTokens: 89),
            createdAt: probe.clock.now.advanced(by: .seconds(-2)), timeToLive: .seconds(3600),
            upstreamLatency: .milliseconds(842), staleRetention: .seconds(90))
        try await probe.store.setEntry(entry, for: ConformanceProbe.key("round-trip"))
        try await probe.expectEntry(entry, under: "round-trip", "after storing it")
        try await probe.expectEntry(entry, under: "round-trip", "on a second read")
    }

    static func checkMiss(_ probe: ConformanceProbe) async throws {
        try await probe.expectMiss(under: "never-stored", "in a new store")
        try await probe.store(["stored": probe.entry()])
        try await probe.expectMiss(under: "never-stored", "after another key was stored")
    }

    static func checkReplace(_ probe: ConformanceProbe) async throws {
        let first = probe.entry(body: Array("first answer".utf8))
        let second = probe.entry(body: Array("second, longer answer".utf8), model: "gpt-4o-mini")
        try await probe.store(["replaced": first])
        try await probe.expectEntry(first, under: "replaced", "after the first set")
        try await probe.store(["replaced": second])
        try await probe.expectEntry(second, under: "replaced", "after setting the same key again")
        try await probe.expectEntryCount(1, "after setting one key twice")
    }

    static func checkExpiry(_ probe: ConformanceProbe) async throws {
        let entry = probe.entry(timeToLive: .seconds(60))
        try await probe.store(["expiring": entry])
        probe.clock.advance(by: .seconds(60) - .milliseconds(1))
        try await probe.expectEntry(entry, under: "expiring", "1 ms before createdAt + TTL")
        probe.clock.advance(by: .milliseconds(1))
        try await probe.expectMiss(under: "expiring", "at exactly createdAt + TTL")
        probe.clock.advance(by: .seconds(3600))
        try await probe.expectMiss(under: "expiring", "an hour after expiry")

        // Expiry counts from the entry's creation, not from when the store received it.
        let backdated = probe.entry(createdAt: probe.clock.now.advanced(by: .seconds(-30)), timeToLive: .seconds(60))
        try await probe.store(["backdated": backdated])
        probe.clock.advance(by: .seconds(30) - .milliseconds(1))
        try await probe.expectEntry(backdated, under: "backdated", "1 ms before the createdAt + TTL of an entry stored 30 s after creation")
        probe.clock.advance(by: .milliseconds(1))
        try await probe.expectMiss(under: "backdated", "at createdAt + TTL of an entry stored 30 s after creation")
    }

    static func checkStaleRetention(_ probe: ConformanceProbe) async throws {
        var entry = probe.entry(timeToLive: .seconds(10))
        entry.staleRetention = .seconds(60)
        try await probe.store(["stale": entry])
        let key = ConformanceProbe.key("stale")
        probe.clock.advance(by: .seconds(15))
        try await probe.expectMiss(under: "stale", "5 s after expiry, to a caller accepting no staleness")
        let within = try await probe.store.entry(for: key, allowingStaleness: .seconds(30))
        try probe.expect(within == entry, "5 s after expiry, a caller accepting 30 s of staleness should get the entry back unchanged")
        let tooStale = try await probe.store.entry(for: key, allowingStaleness: .seconds(3))
        try probe.expect(tooStale == nil, "5 s after expiry, a caller accepting only 3 s of staleness should get a miss")
        probe.clock.advance(by: .seconds(55))
        let beyond = try await probe.store.entry(for: key, allowingStaleness: .seconds(3600))
        try probe.expect(beyond == nil, "past createdAt + TTL + retention, no caller should get the entry, whatever staleness it accepts")
    }

    static func checkNonPositiveTimeToLive(_ probe: ConformanceProbe) async throws {
        let timesToLive: [(name: String, timeToLive: Duration)] = [
            ("zero-ttl", .zero), ("negative-ttl", .seconds(-5)), ("negative-ttl-ms", .milliseconds(-1)),
        ]
        for (name, timeToLive) in timesToLive {
            try await probe.store([name: probe.entry(timeToLive: timeToLive)])
            try await probe.expectMiss(under: name, "after storing an entry with TTL \(timeToLive)")
        }
        try await probe.expectEntryCount(0, "after storing only entries with non-positive TTLs")
    }

    static func checkRemove(_ probe: ConformanceProbe) async throws {
        try await probe.store(["removable": probe.entry(), "kept": probe.entry()])
        let first = try await probe.store.removeEntry(for: ConformanceProbe.key("removable"))
        try probe.expect(first, "removing a stored entry: expected true, got false")
        try await probe.expectMiss(under: "removable", "after removing it")
        let second = try await probe.store.removeEntry(for: ConformanceProbe.key("removable"))
        try probe.expect(!second, "removing the same entry again: expected false, got true")
        let unknown = try await probe.store.removeEntry(for: ConformanceProbe.key("never-stored"))
        try probe.expect(!unknown, "removing a key never stored: expected false, got true")
        try await probe.expectEntry(probe.entry(), under: "kept", "after removing another key")
    }

    static func checkStatistics(_ probe: ConformanceProbe) async throws {
        try await probe.expectEntryCount(0, "in a new store")
        try await probe.store(["a": probe.entry(), "b": probe.entry(), "c": probe.entry()])
        try await probe.expectEntryCount(3, "after storing three keys")
        try await probe.store(["b": probe.entry(body: Array("replacement".utf8))])
        try await probe.expectEntryCount(3, "after replacing one of three keys")
        try await probe.store.removeEntry(for: ConformanceProbe.key("a"))
        try await probe.expectEntryCount(2, "after removing one of three keys")
    }
}
