#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte source into lines, reading it in fixed-size chunks.
///
/// Lines end at `\n`; a `\r` before it (CRLF files) is dropped, and so is a UTF-8 byte-order mark at the
/// start of the first line. Lines that fit in a chunk are handed out without copying; only a line that spans
/// chunks is assembled. A line longer than ``maximumLineLength`` is skipped (reported as overlong) rather
/// than held in memory.
struct LineSplitter {
    /// The size of one read.
    var chunkSize = 1 << 20
    /// The longest line kept; longer ones are reported as overlong and skipped.
    var maximumLineLength = 64 << 20

    /// Calls `body` with each line, its 1-based number and whether it was too long to keep (then empty).
    /// - Complexity: O(n) in the size of the input; memory O(``chunkSize`` + the longest line).
    func forEachLine(
        in source: LogByteSource,
        _ body: (_ line: UnsafeBufferPointer<UInt8>, _ number: Int, _ overlong: Bool) throws -> Void
    ) throws {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: chunkSize)
        defer { buffer.deallocate() }
        let base = buffer.baseAddress!
        var carry: [UInt8] = []
        var discarding = false
        var number = 0
        func emit(_ line: UnsafeBufferPointer<UInt8>) throws {
            number += 1
            try body(Self.trimmed(line, first: number == 1), number, false)
        }
        while true {
            let count = try source.read(into: buffer)
            if count == 0 { break }
            var start = 0
            while start < count {
                guard let found = memchr(base + start, 0x0A, count - start) else {
                    if !discarding {
                        carry.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<count]))
                        if carry.count > maximumLineLength {
                            discarding = true
                            carry = []
                        }
                    }
                    break
                }
                let end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                let piece = UnsafeBufferPointer(rebasing: buffer[start..<end])
                start = end + 1
                if discarding || carry.count + piece.count > maximumLineLength {
                    discarding = false
                    carry = []
                    number += 1
                    try body(UnsafeBufferPointer(start: nil, count: 0), number, true)
                } else if carry.isEmpty {
                    try emit(piece)
                } else {
                    carry.append(contentsOf: piece)
                    try carry.withUnsafeBufferPointer { try emit($0) }
                    carry.removeAll(keepingCapacity: true)
                }
            }
        }
        if discarding {
            number += 1
            try body(UnsafeBufferPointer(start: nil, count: 0), number, true)
        } else if !carry.isEmpty {
            try carry.withUnsafeBufferPointer { try emit($0) }
        }
    }

    private static func trimmed(_ line: UnsafeBufferPointer<UInt8>, first: Bool) -> UnsafeBufferPointer<UInt8> {
        var lower = 0
        var upper = line.count
        if upper > 0, line[upper - 1] == 0x0D { upper -= 1 }
        if first, upper >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF { lower = 3 }
        return UnsafeBufferPointer(rebasing: line[lower..<upper])
    }
}
