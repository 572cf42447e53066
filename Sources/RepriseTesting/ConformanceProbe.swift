import Reprise

/// The store under test in one conformance check, with assertions that fail with the check's name and
/// what was expected.
struct ConformanceProbe: Sendable {
    let check: CacheStoreConformance.Check
    let clock: ManualClock
    let store: any CacheStore

    /// A distinct, valid key for `name`.
    static func key(_ name: String) -> CacheKey {
        CacheKeyBuilder().key(namespace: "conformance", route: "/test", body: .string(name))
    }

    /// A fresh entry created now, with the given fields and plausible values for the rest.
    func entry(
        body: [UInt8] = Array(#"{"answer":42}"#.utf8), model: String = "gpt-4o", namespace: String = "tenant",
        createdAt: EpochInstant? = nil, timeToLive: Duration = .seconds(300)
    ) -> CacheEntry {
        CacheEntry(
            body: body, model: model, namespace: namespace, route: "/v1/chat/completions",
            usage: TokenUsage(promptTokens: 12, completionTokens: 3), createdAt: createdAt ?? clock.now,
            timeToLive: timeToLive)
    }

    func failure(_ message: String) -> ConformanceFailure {
        ConformanceFailure(check: check, message: message)
    }

    func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(ConformanceFailure) {
        if !condition { throw failure(message()) }
    }

    /// Stores every entry of `entries` under the key named by its dictionary key.
    func store(_ entries: [String: CacheEntry]) async throws {
        for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
            try await store.setEntry(entry, for: Self.key(name))
        }
    }

    /// Fails unless `key` reads back as exactly `expected`.
    func expectEntry(_ expected: CacheEntry, under name: String, _ situation: String) async throws {
        guard let found = try await store.entry(for: Self.key(name)) else {
            throw failure("\(situation): expected the entry under '\(name)', got a miss")
        }
        let differences = Self.differences(between: expected, and: found)
        try expect(
            differences.isEmpty,
            "\(situation): the entry under '\(name)' came back changed: \(differences.joined(separator: "; "))")
    }

    /// Fails unless `key` is a miss.
    func expectMiss(under name: String, _ situation: String) async throws {
        if let found = try await store.entry(for: Self.key(name)) {
            throw failure("\(situation): expected a miss under '\(name)', got an entry created at \(found.createdAt.iso8601)")
        }
    }

    /// Fails unless the store reports holding `expected` entries. A store that does not count exactly
    /// (``CacheStore/countsEntriesExactly``) must still answer, and the entries themselves are checked
    /// by reading them.
    func expectEntryCount(_ expected: Int, _ situation: String) async throws {
        let entries = try await store.statistics().entries
        guard store.countsEntriesExactly else { return }
        try expect(entries == expected, "\(situation): expected statistics to count \(expected) entries, got \(entries)")
    }

    /// Fails unless a purge with `filter` reports `expected` removals.
    func expectPurge(_ filter: CachePurgeFilter, removes expected: Int, _ situation: String) async throws {
        let removed = try await store.removeEntries(matching: filter)
        guard store.countsEntriesExactly else { return }
        try expect(removed == expected, "\(situation): expected the purge to remove \(expected) entries, it reported \(removed)")
    }

    /// The fields in which `found` differs from `expected`, each with both values.
    static func differences(between expected: CacheEntry, and found: CacheEntry) -> [String] {
        var result: [String] = []
        func compare<Value: Equatable>(_ field: String, _ lhs: Value, _ rhs: Value) {
            if lhs != rhs { result.append("\(field) expected \(lhs), got \(rhs)") }
        }
        if expected.body != found.body { result.append("body " + describeDifference(expected.body, found.body)) }
        compare("version", expected.version, found.version)
        compare("status", expected.status, found.status)
        compare("contentType", expected.contentType, found.contentType)
        compare("model", expected.model, found.model)
        compare("namespace", expected.namespace, found.namespace)
        compare("route", expected.route, found.route)
        compare("usage", expected.usage, found.usage)
        compare("createdAt", expected.createdAt.sinceEpoch, found.createdAt.sinceEpoch)
        compare("timeToLive", expected.timeToLive, found.timeToLive)
        compare("upstreamLatency", expected.upstreamLatency, found.upstreamLatency)
        compare("staleRetention", expected.staleRetention, found.staleRetention)
        if result.isEmpty, expected != found { result.append("entries differ in a field the suite does not name") }
        return result
    }

    private static func describeDifference(_ expected: [UInt8], _ found: [UInt8]) -> String {
        guard expected.count == found.count else {
            return "expected \(expected.count) bytes, got \(found.count) bytes"
        }
        let offset = expected.indices.first { expected[$0] != found[$0] } ?? 0
        return "differs first at byte offset \(offset): expected 0x\(String(expected[offset], radix: 16)), "
            + "got 0x\(String(found[offset], radix: 16))"
    }
}
