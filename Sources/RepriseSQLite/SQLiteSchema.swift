import Reprise
import SQLiteNIO

/// The store's tables, created on first open and checked on every later one.
enum SQLiteSchema {
    /// Bumped when the tables change shape; a file of another version is refused rather than misread.
    static let version = 1

    static func prepare(_ connection: SQLiteConnection) async throws {
        // WAL lets readers go on while a write commits; NORMAL syncs at checkpoints, which loses at most
        // the last writes on power loss — acceptable for a cache, and far faster than a sync per write.
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA synchronous = NORMAL")
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        for statement in statements { _ = try await connection.query(statement) }
        let found = try await connection.query("SELECT value FROM reprise_meta WHERE name = 'schema_version'").first?.column("value")?.integer
        if let found, found != version {
            throw CacheStoreError.unsupported(
                "The SQLite store was written with schema version \(found); this build reads version \(version). Move the file away or name another path.")
        }
        if found == nil {
            _ = try await connection.query("INSERT INTO reprise_meta (name, value) VALUES ('schema_version', ?1)", [.integer(version)])
        }
    }

    private static let statements = [
        "CREATE TABLE IF NOT EXISTS reprise_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS entries (
            key TEXT PRIMARY KEY,
            namespace TEXT NOT NULL,
            model TEXT NOT NULL,
            retained_until INTEGER NOT NULL,
            size INTEGER NOT NULL,
            accessed INTEGER NOT NULL,
            value BLOB NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS entries_by_access ON entries (accessed)",
        "CREATE INDEX IF NOT EXISTS entries_by_retention ON entries (retained_until)",
        "CREATE TABLE IF NOT EXISTS totals (id INTEGER PRIMARY KEY CHECK (id = 0), entries INTEGER NOT NULL, bytes INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO totals (id, entries, bytes) VALUES (0, 0, 0)",
        """
        CREATE TRIGGER IF NOT EXISTS entries_inserted AFTER INSERT ON entries BEGIN
            UPDATE totals SET entries = entries + 1, bytes = bytes + NEW.size WHERE id = 0;
        END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS entries_deleted AFTER DELETE ON entries BEGIN
            UPDATE totals SET entries = entries - 1, bytes = bytes - OLD.size WHERE id = 0;
        END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS entries_resized AFTER UPDATE OF size ON entries BEGIN
            UPDATE totals SET bytes = bytes - OLD.size + NEW.size WHERE id = 0;
        END
        """,
    ]
}
