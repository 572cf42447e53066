import Foundation
import Reprise
import RepriseSQLite
import RepriseTesting
import SQLiteNIO
import Synchronization
import Testing

@Suite struct SQLiteCacheStoreTests {
    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        let directory = try TemporaryDirectory()
        let opened = Mutex<SQLiteCacheStore<ManualClock>?>(nil)
        do {
            try await CacheStoreConformance.run(check) { clock in
                let store = try await SQLiteCacheStore.open(path: directory.path + "/cache.db", capacityBytes: 64 << 20, clock: clock)
                opened.withLock { $0 = store }
                return store
            }
        } catch {
            try await opened.withLock { $0 }?.close()
            throw error
        }
        try await opened.withLock { $0 }?.close()
    }

    /// The file holds prompts and answers: nobody but its owner may read it, or SQLite's companions.
    @Test func theDatabaseAndItsCompanionsAreOwnerOnly() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let path = directory.path + "/cache.db"
        let store = try await SQLiteCacheStore.open(path: path, clock: clock)
        try await store.setEntry(Self.entry(clock, body: "private"), for: Self.key("private"))
        for suffix in ["", "-wal", "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: path + suffix)
            let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
            #expect(permissions.intValue & 0o777 == 0o600, "\(suffix.isEmpty ? "the database" : suffix) is \(String(permissions.intValue, radix: 8))")
        }
        try await store.close()
    }

    @Test func aFileOthersCouldReadIsMadePrivate() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/cache.db"
        FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o644])
        let store = try await SQLiteCacheStore.open(path: path, clock: ManualClock())
        let permissions = try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)
        #expect(permissions.intValue & 0o777 == 0o600)
        try await store.close()
    }

    /// A cache is disposable: a corrupt file is set aside and replaced, and the gateway starts.
    @Test func aCorruptFileIsSetAsideAndReplaced() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/cache.db"
        let garbage = Array("SQLite format 3\u{0}".utf8) + [UInt8](repeating: 0xA5, count: 8192)
        FileManager.default.createFile(atPath: path, contents: Data(garbage))
        let clock = ManualClock()
        let store = try await SQLiteCacheStore.open(path: path, clock: clock)
        try await store.setEntry(Self.entry(clock, body: "fresh"), for: Self.key("fresh"))
        #expect(try await store.entry(for: Self.key("fresh")) != nil)
        try await store.close()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let aside = try #require(names.first { $0.hasPrefix("cache.db.corrupt-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") })
        #expect(FileManager.default.contents(atPath: directory.path + "/" + aside) == Data(garbage), "the old file is kept, not destroyed")
    }

    @Test func entriesSurviveClosingAndReopening() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let path = directory.path + "/cache.db"
        let entry = Self.entry(clock, body: "kept across a restart")
        let first = try await SQLiteCacheStore.open(path: path, clock: clock)
        try await first.setEntry(entry, for: Self.key("restart"))
        try await first.close()

        let reopened = try await SQLiteCacheStore.open(path: path, clock: clock)
        #expect(try await reopened.entry(for: Self.key("restart")) == entry)
        #expect(try await reopened.statistics().entries == 1)
        try await reopened.close()
    }

    @Test func databaseIsInWriteAheadLogMode() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/cache.db"
        let store = try await SQLiteCacheStore.open(path: path, clock: ManualClock())
        try await store.close()
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        let mode = try await connection.query("PRAGMA journal_mode").first?.column("journal_mode")?.string
        try await connection.close()
        #expect(mode == "wal")
    }

    @Test func evictsLeastRecentlyUsedToStayWithinItsBound() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let body = String(repeating: "x", count: 1000)
        // Each entry takes about 1.2 KB (body, fields, key); the bound holds three.
        let store = try await SQLiteCacheStore.open(path: directory.path + "/cache.db", capacityBytes: 4000, clock: clock)
        for name in ["a", "b", "c"] { try await store.setEntry(Self.entry(clock, body: body), for: Self.key(name)) }
        _ = try await store.entry(for: Self.key("a"))
        try await store.setEntry(Self.entry(clock, body: body), for: Self.key("d"))

        #expect(try await store.entry(for: Self.key("b")) == nil, "b was the least recently used")
        for name in ["a", "c", "d"] { #expect(try await store.entry(for: Self.key(name)) != nil, "\(name) should be kept") }
        let statistics = try await store.statistics()
        #expect(statistics.evictions == 1)
        #expect(statistics.bytes <= 4000)
        #expect(statistics.entries == 3)
        try await store.close()
    }

    @Test func entryLargerThanTheBoundIsNotStoredAndIsCounted() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try await SQLiteCacheStore.open(path: directory.path + "/cache.db", capacityBytes: 2000, clock: clock)
        try await store.setEntry(Self.entry(clock, body: String(repeating: "y", count: 5000)), for: Self.key("huge"))
        #expect(try await store.entry(for: Self.key("huge")) == nil)
        #expect(try await store.statistics().oversizedEntries == 1)
        #expect(try await store.statistics().entries == 0)
        try await store.close()
    }

    @Test func corruptRowReadsAsMissIsCountedAndRemoved() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let path = directory.path + "/cache.db"
        let store = try await SQLiteCacheStore.open(path: path, clock: clock)
        try await store.setEntry(Self.entry(clock, body: "fine"), for: Self.key("corrupt"))
        try await store.setEntry(Self.entry(clock, body: "fine"), for: Self.key("healthy"))

        let vandal = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await vandal.query(
            "UPDATE entries SET value = substr(value, 1, 20) WHERE key = ?1", [.text(Self.key("corrupt").hex)])
        try await vandal.close()

        #expect(try await store.entry(for: Self.key("corrupt")) == nil)
        #expect(try await store.entry(for: Self.key("corrupt")) == nil)
        #expect(try await store.entry(for: Self.key("healthy")) != nil)
        let statistics = try await store.statistics()
        #expect(statistics.unreadableEntries == 1, "counted once, then removed")
        #expect(statistics.entries == 1)
        try await store.close()
    }

    @Test func sweepRemovesOnlyEntriesPastTheirRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = ManualClock()
        let store = try await SQLiteCacheStore.open(path: directory.path + "/cache.db", clock: clock)
        try await store.setEntry(Self.entry(clock, body: "short", timeToLive: .seconds(10)), for: Self.key("short"))
        try await store.setEntry(Self.entry(clock, body: "long", timeToLive: .seconds(100)), for: Self.key("long"))
        clock.advance(by: .seconds(50))
        #expect(try await store.removeExpiredEntries() == 1)
        let statistics = try await store.statistics()
        #expect(statistics.entries == 1)
        #expect(statistics.expirations == 1)
        #expect(try await store.entry(for: Self.key("long")) != nil)
        try await store.close()
    }

    @Test func aFileThatIsNotADatabaseIsSetAsideToo() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/not-a-database.db"
        try Data("this is not an SQLite database, just text that is long enough to have a header".utf8).write(to: URL(fileURLWithPath: path))
        let store = try await SQLiteCacheStore.open(path: path, clock: ManualClock())
        #expect(try await store.statistics().entries == 0)
        try await store.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).contains { $0.hasPrefix("not-a-database.db.corrupt-") })
    }

    @Test func aFileOfAnotherSchemaVersionIsRefusedWithItsPath() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/other-version.db"
        let store = try await SQLiteCacheStore.open(path: path, clock: ManualClock())
        try await store.close()
        let connection = try await SQLiteConnection.open(storage: .file(path: path))
        _ = try await connection.query("UPDATE reprise_meta SET value = 99 WHERE name = 'schema_version'")
        try await connection.close()
        await #expect {
            let reopened = try await SQLiteCacheStore.open(path: path, clock: ManualClock())
            try await reopened.close()
        } throws: { error in
            "\(error)".contains("schema version 99")
        }
    }

    static func key(_ name: String) -> CacheKey {
        CacheKeyBuilder().key(namespace: "sqlite-tests", route: "/test", body: .string(name))
    }

    static func entry(_ clock: ManualClock, body: String, timeToLive: Duration = .seconds(300)) -> CacheEntry {
        CacheEntry(
            body: Array(body.utf8), model: "gpt-4o", namespace: "tenant", route: "/v1/chat/completions", createdAt: clock.now,
            timeToLive: timeToLive)
    }
}

/// A directory removed when the test ends.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "reprise-sqlite-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
