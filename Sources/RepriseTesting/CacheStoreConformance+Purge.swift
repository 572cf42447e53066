import Reprise

/// Checks on administrative purges (`removeEntries(matching:)`).
extension CacheStoreConformance {
    static func checkPurgeByNamespace(_ probe: ConformanceProbe) async throws {
        let purged = [
            "team": probe.entry(namespace: "team"),
            "team-narrowed": probe.entry(namespace: "team.3f9a0c11"),
            "team-narrowed-other": probe.entry(namespace: "team.77c1e2d0"),
        ]
        let kept = [
            "look-alike-digit": probe.entry(namespace: "team2"),
            "look-alike-word": probe.entry(namespace: "teammate"),
            "other": probe.entry(namespace: "other"),
            "other-narrowed-by-team": probe.entry(namespace: "other.team"),
        ]
        try await probe.store(purged.merging(kept) { first, _ in first })
        try await probe.expectPurge(CachePurgeFilter(namespace: "team"), removes: 3, "purging namespace 'team'")
        try await expect(probe, purged: purged, kept: kept, "after purging namespace 'team'")
    }

    static func checkPurgeByModel(_ probe: ConformanceProbe) async throws {
        let purged = [
            "gpt-4o": probe.entry(model: "gpt-4o"),
            "gpt-4o-elsewhere": probe.entry(model: "gpt-4o", namespace: "elsewhere"),
        ]
        let kept = [
            "gpt-4o-mini": probe.entry(model: "gpt-4o-mini"),
            "gpt-4o-dated": probe.entry(model: "gpt-4o-2024-08-06"),
            "claude": probe.entry(model: "claude-sonnet-4-5"),
        ]
        try await probe.store(purged.merging(kept) { first, _ in first })
        try await probe.expectPurge(CachePurgeFilter(model: "gpt-4o"), removes: 2, "purging model 'gpt-4o'")
        try await expect(probe, purged: purged, kept: kept, "after purging model 'gpt-4o'")
    }

    static func checkPurgeByNamespaceAndModel(_ probe: ConformanceProbe) async throws {
        let purged = [
            "team-gpt": probe.entry(model: "gpt-4o", namespace: "team"),
            "team-narrowed-gpt": probe.entry(model: "gpt-4o", namespace: "team.abcdef01"),
        ]
        let kept = [
            "team-claude": probe.entry(model: "claude-sonnet-4-5", namespace: "team"),
            "other-gpt": probe.entry(model: "gpt-4o", namespace: "other"),
        ]
        try await probe.store(purged.merging(kept) { first, _ in first })
        let filter = CachePurgeFilter(namespace: "team", model: "gpt-4o")
        try await probe.expectPurge(filter, removes: 2, "purging namespace 'team' and model 'gpt-4o' together")
        try await expect(probe, purged: purged, kept: kept, "after purging namespace 'team' and model 'gpt-4o'")
    }

    static func checkPurgeEverything(_ probe: ConformanceProbe) async throws {
        let purged = [
            "one": probe.entry(model: "gpt-4o", namespace: "team"),
            "two": probe.entry(model: "gpt-4o-mini", namespace: "team.abcdef01"),
            "three": probe.entry(model: "claude-sonnet-4-5", namespace: "other"),
            "four": probe.entry(model: "text-embedding-3-small", namespace: "anonymous"),
        ]
        try await probe.store(purged)
        try await probe.expectPurge(.everything, removes: 4, "purging everything")
        try await expect(probe, purged: purged, kept: [:], "after purging everything")
        try await probe.expectEntryCount(0, "after purging everything")
        try await probe.expectPurge(.everything, removes: 0, "purging an empty store")

        let afterwards = probe.entry(body: Array("stored after the purge".utf8))
        try await probe.store(["afterwards": afterwards])
        try await probe.expectEntry(afterwards, under: "afterwards", "storing after a purge")
    }

    private static func expect(
        _ probe: ConformanceProbe, purged: [String: CacheEntry], kept: [String: CacheEntry], _ situation: String
    ) async throws {
        for name in purged.keys.sorted() {
            try await probe.expectMiss(under: name, "\(situation), entry of namespace '\(purged[name]!.namespace)' and model '\(purged[name]!.model)'")
        }
        for (name, entry) in kept.sorted(by: { $0.key < $1.key }) {
            try await probe.expectEntry(entry, under: name, "\(situation), entry of namespace '\(entry.namespace)' and model '\(entry.model)'")
        }
        try await probe.expectEntryCount(kept.count, situation)
    }
}
