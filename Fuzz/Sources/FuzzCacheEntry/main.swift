import Reprise

/// An entry read back from a shared store someone else can write to: read or refused, never a crash;
/// one that reads writes back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCacheEntry(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let entry = try? CacheEntry(serialized: bytes) else { return 0 }
    guard let again = try? CacheEntry(serialized: entry.serialized()) else { fatalError("a written entry does not read back") }
    if again != entry { fatalError("an entry changed on its way through the store format") }
    // What serving it computes: none of it may trap, whatever the store held.
    _ = entry.isServable
    _ = entry.usage.totalTokens
    let now = EpochInstant(sinceEpoch: .seconds(1_800_000_000))
    _ = now.duration(to: entry.expiresAt).wholeSeconds
    _ = entry.age(at: now).wholeSeconds
    _ = entry.isUsable(at: now, allowingStaleness: .seconds(3600))
    _ = entry.retainedUntil.sinceEpoch.wholeSeconds
    _ = entry.approximateSize
    return 0
}
