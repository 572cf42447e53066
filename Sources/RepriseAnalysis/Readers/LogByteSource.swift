#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of one log file, decompressed when the file is gzip (recognized by its `1f 8b` magic, not by
/// its name).
///
/// Reads go straight to the file descriptor in the caller's buffer; compressed files are read in 256 KiB
/// pieces. Memory stays constant whatever the size of the file.
final class LogByteSource {
    /// The path as given, for messages.
    let path: String
    /// Whether the file is gzip-compressed.
    private(set) var isCompressed = false
    /// Bytes read from the file so far (compressed bytes for a gzip file).
    private(set) var fileBytesRead = 0
    /// The file's size on disk (compressed for a gzip file); 0 when the system does not say.
    private(set) var fileSize = 0

    private let descriptor: Int32
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var inputStart = 0
    private var inputEnd = 0
    private var reachedEndOfFile = false
    private var inflater: GzipInflater?

    /// Opens `path` and looks at its first bytes.
    /// - Throws: ``UsageLogError`` naming the file when it cannot be opened or read.
    init(path: String) throws(UsageLogError) {
        self.path = path
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .unreadableFile(path, reason: Self.describeErrno()) }
        input = .allocate(capacity: 256 * 1024)
        var status = stat()
        if fstat(descriptor, &status) == 0 { fileSize = Int(status.st_size) }
        try fillInput()
        if inputEnd >= 2, input[0] == 0x1F, input[1] == 0x8B {
            isCompressed = true
            let inflater: GzipInflater
            do {
                inflater = try GzipInflater()
            } catch {
                throw .corruptCompression(path, reason: error.reason)
            }
            inflater.supply(UnsafeBufferPointer(rebasing: input[0..<inputEnd]))
            self.inflater = inflater
        }
    }

    deinit {
        close(descriptor)
        input.deallocate()
    }

    /// Fills `buffer` with the next bytes of the (decompressed) file.
    /// - Returns: the number of bytes written, `0` at the end of the file.
    func read(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(UsageLogError) -> Int {
        guard let inflater else { return try readPlain(into: buffer) }
        while true {
            if inflater.needsInput {
                if reachedEndOfFile {
                    if inflater.endsInsideMember {
                        throw .corruptCompression(path, reason: "the file ends in the middle of compressed data (truncated?)")
                    }
                    return 0
                }
                try fillInput()
                inflater.supply(UnsafeBufferPointer(rebasing: input[0..<inputEnd]))
            }
            do {
                let produced = try inflater.inflate(into: buffer)
                if produced > 0 { return produced }
            } catch {
                throw .corruptCompression(path, reason: error.reason)
            }
        }
    }

    private func readPlain(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(UsageLogError) -> Int {
        if inputStart < inputEnd {
            let count = min(buffer.count, inputEnd - inputStart)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
                .initialize(from: input[inputStart..<(inputStart + count)])
            inputStart += count
            return count
        }
        return try readFile(into: buffer)
    }

    private func fillInput() throws(UsageLogError) {
        inputStart = 0
        inputEnd = try readFile(into: input)
        if inputEnd == 0 { reachedEndOfFile = true }
    }

    private func readFile(into buffer: UnsafeMutableBufferPointer<UInt8>) throws(UsageLogError) -> Int {
        while true {
            let count = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 {
                fileBytesRead += count
                return count
            }
            if errno == EINTR { continue }
            throw .unreadableFile(path, reason: Self.describeErrno())
        }
    }

    private func systemRead(_ descriptor: Int32, _ address: UnsafeMutablePointer<UInt8>?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(descriptor, address, count)
        #elseif canImport(Musl)
        Musl.read(descriptor, address, count)
        #else
        Darwin.read(descriptor, address, count)
        #endif
    }

    private static func describeErrno() -> String {
        String(cString: strerror(errno))
    }
}
