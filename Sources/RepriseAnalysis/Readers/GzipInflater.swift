import CZlib

/// Decompresses a gzip stream (RFC 1952) with the system zlib, one output buffer at a time.
///
/// Concatenated members (as `cat a.gz b.gz` or `pigz` produce) are read as one stream. Bytes after the
/// last complete member that do not start another member (such as zero padding) are ignored, as gzip(1)
/// does. The caller keeps each supplied input alive until ``needsInput`` is `true` again.
final class GzipInflater {
    /// Why the compressed data could not be read.
    struct Failure: Error {
        var reason: String
    }

    /// zlib keeps a pointer back to its stream, so the stream lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    private var completedMembers = 0
    private var insideMember = false
    private var ignoringRest = false

    init() throws(Failure) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits plus 16: a gzip wrapper only, no raw or zlib streams.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw Failure(reason: "zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Whether every supplied byte has been consumed.
    var needsInput: Bool { stream.pointee.avail_in == 0 || ignoringRest }

    /// Whether the data so far stops in the middle of a member: at the end of the file, a truncated file.
    var endsInsideMember: Bool { insideMember && !ignoringRest }

    /// Hands zlib the next compressed bytes.
    func supply(_ input: UnsafeBufferPointer<UInt8>) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = UInt32(input.count)
    }

    /// Decompresses as much of the supplied input as fits into `output`.
    /// - Returns: the number of bytes written; `0` once the input is used up.
    func inflate(into output: UnsafeMutableBufferPointer<UInt8>) throws(Failure) -> Int {
        guard !ignoringRest, let base = output.baseAddress else { return 0 }
        stream.pointee.next_out = base
        stream.pointee.avail_out = UInt32(output.count)
        while stream.pointee.avail_out > 0, stream.pointee.avail_in > 0 {
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            switch status {
            case Z_STREAM_END:
                completedMembers += 1
                insideMember = false
                if stream.pointee.avail_in > 0 { inflateReset(stream) }
            case Z_OK:
                insideMember = true
            case Z_BUF_ERROR:
                return output.count - Int(stream.pointee.avail_out)
            default:
                if completedMembers > 0, !insideMember {
                    ignoringRest = true
                    return output.count - Int(stream.pointee.avail_out)
                }
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw Failure(reason: message)
            }
        }
        return output.count - Int(stream.pointee.avail_out)
    }
}
