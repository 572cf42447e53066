import Reprise
import Testing

@Suite struct ByteBoundedLRUTests {
    @Test func theLeastRecentlyUsedGoFirstAndTooLargeValuesNeverEnter() {
        var lru = ByteBoundedLRU<String, Int>(capacityBytes: 30)
        lru.insert(1, for: "a", size: 10)
        lru.insert(2, for: "b", size: 10)
        lru.insert(3, for: "c", size: 10)
        #expect(lru.value(for: "a") == 1)  // "b" is now the least recently used
        #expect(lru.peek("b") == 2)  // a peek does not change that
        lru.insert(4, for: "d", size: 10)
        #expect(lru.peek("b") == nil)
        #expect(lru.evictions == 1)
        lru.insert(5, for: "e", size: 31)
        #expect(lru.peek("e") == nil)
        #expect((lru.count, lru.bytes) == (3, 30))
    }

    @Test func replacingAndRemovingKeepTheSizesRight() {
        var lru = ByteBoundedLRU<String, Int>(capacityBytes: 100)
        lru.insert(1, for: "a", size: 40)
        lru.insert(2, for: "a", size: 10)
        #expect((lru.count, lru.bytes, lru.peek("a")) == (1, 10, 2))
        lru.insert(3, for: "b", size: 20)
        lru.insert(4, for: "c", size: 30)
        #expect(lru.removeValue(for: "b") == 3)
        #expect(lru.removeValue(for: "b") == nil)
        #expect(lru.removeAll { key, value in key == "c" || value == 2 } == 2)
        #expect((lru.count, lru.bytes) == (0, 0))
        // Freed slots are reused.
        lru.insert(5, for: "d", size: 100)
        #expect(lru.value(for: "d") == 5)
    }

    @Test func aCountLimitEvictsTheLeastRecentlyUsedToo() {
        var lru = ByteBoundedLRU<String, Int>(capacityBytes: .max, maximumCount: 2)
        lru.insert(1, for: "a", size: 1)
        lru.insert(2, for: "b", size: 1)
        _ = lru.value(for: "a")
        lru.insert(3, for: "c", size: 1)
        #expect(lru.peek("b") == nil && lru.peek("a") == 1 && lru.peek("c") == 3)
        #expect((lru.count, lru.evictions) == (2, 1))
        var none = ByteBoundedLRU<String, Int>(capacityBytes: 100, maximumCount: 0)
        none.insert(1, for: "a", size: 1)
        #expect(none.count == 0)
    }
}
