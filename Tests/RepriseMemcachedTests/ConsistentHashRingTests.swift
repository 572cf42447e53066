import Reprise
import Testing

@testable import RepriseMemcached

@Suite struct ConsistentHashRingTests {
    static let three = (1...3).map { MemcachedServer(host: "10.0.0.\($0)", port: 11211) }
    static let keys = (0..<20_000).map { "reprise:e:\($0)" }

    @Test func addingAFourthServerMovesOnlyItsShareOfKeys() {
        let before = ConsistentHashRing(servers: Self.three, pointsPerServer: 160)
        let after = ConsistentHashRing(servers: Self.three + [MemcachedServer(host: "10.0.0.4", port: 11211)], pointsPerServer: 160)
        var moved = 0
        for key in Self.keys where before.server(for: key) != after.server(for: key) {
            moved += 1
            #expect(after.server(for: key) == 3, "a key may only move to the new server")
        }
        let share = Double(moved) / Double(Self.keys.count)
        // The new server's fair share is 1/4; modulo hashing would move about 3/4.
        #expect(share > 0.17 && share < 0.33, "moved \(moved) of \(Self.keys.count) keys (\(share))")
    }

    @Test func keysAreSpreadEvenly() {
        let ring = ConsistentHashRing(servers: Self.three, pointsPerServer: 160)
        var counts = [0, 0, 0]
        for key in Self.keys { counts[ring.server(for: key)] += 1 }
        for count in counts { #expect(abs(Double(count) / Double(Self.keys.count) - 1.0 / 3.0) < 0.07, "\(counts)") }
    }

    @Test func memcachedKeysStayShortAndPrintableWhateverTheNamespaceOrModel() {
        let keys = MemcachedKeys(prefix: "reprise:")
        let entry = CacheEntry(
            body: [], model: "model with spaces\r\nand control\u{0} " + String(repeating: "м", count: 400),
            namespace: String(repeating: "n", count: 300) + ".narrowed", route: "/v1/chat/completions",
            createdAt: EpochInstant(sinceEpoch: .zero), timeToLive: .seconds(1))
        let all = PurgeScope.scopes(of: entry).map(keys.generation)
            + [keys.entry(CacheKeyBuilder().key(namespace: "n", route: "/r", body: .null))]
        for key in all {
            #expect(key.utf8.count <= 250)
            #expect(key.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F })
        }
        #expect(Set(all).count == all.count)
    }

    @Test func entryBelongsToEveryScopeAPurgeOfItCanName() {
        let entry = CacheEntry(
            body: [], model: "gpt-4o", namespace: "team.3f9a", route: "/v1/chat/completions",
            createdAt: EpochInstant(sinceEpoch: .zero), timeToLive: .seconds(1))
        let scopes = Set(PurgeScope.scopes(of: entry))
        for filter in [
            CachePurgeFilter.everything, CachePurgeFilter(namespace: "team"), CachePurgeFilter(namespace: "team.3f9a"),
            CachePurgeFilter(model: "gpt-4o"), CachePurgeFilter(namespace: "team", model: "gpt-4o"),
        ] {
            #expect(scopes.contains(PurgeScope(filter)), "\(filter)")
        }
        for filter in [CachePurgeFilter(namespace: "tea"), CachePurgeFilter(model: "gpt-4o-mini"), CachePurgeFilter(namespace: "3f9a")] {
            #expect(!scopes.contains(PurgeScope(filter)), "\(filter)")
        }
    }

    @Test(arguments: [
        ("memcached://", "names no server"), ("redis://h:1", "must start with 'memcached://'"),
        ("memcached://h:0", "'0'"), ("memcached://h:x", "'x'"), ("memcached://a:1,a:1", "same server twice"),
        ("memcached://user@h:1", "user"), ("memcached://h:1,,h:2", "has no host"),
    ])
    func badURLsNameTheirFault(_ url: String, _ fault: String) {
        #expect {
            _ = try MemcachedConfiguration(url: url)
        } throws: { error in
            "\(error)".contains(fault)
        }
    }

    @Test func urlListsEveryServer() throws {
        let configuration = try MemcachedConfiguration(url: "memcached://cache-1:11311,cache-2,[::1]:11400")
        #expect(configuration.servers == [
            MemcachedServer(host: "cache-1", port: 11311), MemcachedServer(host: "cache-2", port: 11211),
            MemcachedServer(host: "::1", port: 11400),
        ])
    }
}
