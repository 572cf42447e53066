import Reprise

/// Checks under load: many concurrent tasks, and bodies that are large or not text.
extension CacheStoreConformance {
    static let concurrentTaskCount = 200

    static func checkConcurrentUse(_ probe: ConformanceProbe) async throws {
        let taskCount = concurrentTaskCount
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<taskCount {
                group.addTask { try await exercise(probe, asTask: task) }
            }
            try await group.waitForAll()
        }
        for task in 0..<taskCount {
            try await probe.expectEntry(ownEntry(probe, task), under: "own-\(task)", "after \(taskCount) concurrent tasks")
        }
        let shared = try await probe.store.entry(for: ConformanceProbe.key("shared"))
        try probe.expect(
            shared.map { isSharedBody($0.body) } == true,
            "after \(taskCount) concurrent tasks: expected the shared key to hold one task's answer, got \(describe(shared))")
        try await probe.expectEntryCount(taskCount + 1, "after \(taskCount) concurrent tasks, each with its own key plus one shared key")
    }

    /// What one task of the concurrency check does: writes its own key and the shared key, reads both
    /// back, and (every tenth task) stores and removes a temporary key.
    private static func exercise(_ probe: ConformanceProbe, asTask task: Int) async throws {
        let own = ownEntry(probe, task)
        try await probe.store.setEntry(own, for: ConformanceProbe.key("own-\(task)"))
        try await probe.store.setEntry(probe.entry(body: Array("shared \(task)".utf8)), for: ConformanceProbe.key("shared"))
        try await probe.expectEntry(own, under: "own-\(task)", "task \(task) reading its own key while others write")
        let shared = try await probe.store.entry(for: ConformanceProbe.key("shared"))
        try probe.expect(
            shared.map { isSharedBody($0.body) } == true,
            "task \(task) reading the shared key: expected one task's answer, got \(describe(shared))")
        if task.isMultiple(of: 10) {
            let temporary = ConformanceProbe.key("temporary-\(task)")
            try await probe.store.setEntry(probe.entry(), for: temporary)
            let removed = try await probe.store.removeEntry(for: temporary)
            try probe.expect(removed, "task \(task) removing the key it had just stored: expected true, got false")
        }
        _ = try await probe.store.statistics()
    }

    private static func ownEntry(_ probe: ConformanceProbe, _ task: Int) -> CacheEntry {
        probe.entry(body: Array(#"{"task":\#(task)}"#.utf8), model: "model-\(task % 7)", namespace: "tenant-\(task % 5)")
    }

    private static func isSharedBody(_ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        guard text.hasPrefix("shared "), let task = Int(text.dropFirst("shared ".count)) else { return false }
        return (0..<concurrentTaskCount).contains(task)
    }

    private static func describe(_ entry: CacheEntry?) -> String {
        guard let entry else { return "a miss" }
        return "a body of \(entry.body.count) bytes: '\(String(decoding: entry.body.prefix(40), as: UTF8.self))'"
    }

    static func checkBinaryBodies(_ probe: ConformanceProbe) async throws {
        let everyByte = (0...255).map { UInt8($0) }
        let bodies: [(name: String, body: [UInt8])] = [
            ("empty", []),
            ("every-byte-value", everyByte),
            ("every-byte-value-reversed", Array(everyByte.reversed())),
            ("invalid-utf8-and-nul", [0x00, 0xFF, 0xC0, 0x80, 0xED, 0xA0, 0x80, 0x0D, 0x0A, 0x00]),
            ("one-mebibyte", mebibyteOfNoise),
        ]
        for (name, body) in bodies {
            try await probe.store([name: probe.entry(body: body)])
        }
        for (name, body) in bodies {
            try await probe.expectEntry(probe.entry(body: body), under: name, "reading back a \(body.count)-byte binary body")
        }
    }

    /// 1 MiB of deterministic pseudo-random bytes, so a store that drops, reorders or re-encodes a chunk
    /// is caught wherever it happens. Made once: every store's suite uses it.
    private static let mebibyteOfNoise: [UInt8] = {
        var state: UInt64 = 0x5EED
        return (0..<(1 << 20)).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }()
}
