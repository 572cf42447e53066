import CZlib
import Foundation

/// Reads members of a zip archive (such as a Python wheel) with the system zlib.
///
/// Stored and deflated members are supported, each checked against its CRC-32; ZIP64 archives, encryption
/// and multi-disk archives are not, and say so.
struct ZipArchive {
    /// One member of the archive, from the central directory.
    struct Member {
        var name: String
        var method: UInt16
        var compressedSize: Int
        var size: Int
        var crc: UInt32
        var localHeaderOffset: Int
    }

    let path: String
    let members: [Member]
    private let data: Data

    init(contentsOf path: String) throws(SemanticModelError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .corruptFile(path, reason: "it cannot be read (\(error.localizedDescription))")
        }
        self.path = path
        members = try Self.centralDirectory(data, path: path)
    }

    private static func centralDirectory(_ data: Data, path: String) throws(SemanticModelError) -> [Member] {
        let bytes = [UInt8](data.suffix(65_557))
        let base = data.count - bytes.count
        guard let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { read32(bytes, $0) == 0x0605_4B50 }) else {
            throw .corruptFile(path, reason: "it is not a zip archive (no end of central directory)")
        }
        let count = Int(read16(bytes, end + 10))
        let directorySize = Int(read32(bytes, end + 12))
        let directoryOffset = Int(read32(bytes, end + 16))
        guard directoryOffset != 0xFFFF_FFFF, directoryOffset + directorySize <= base + end else {
            throw .corruptFile(path, reason: "its central directory lies outside the file or needs ZIP64, which is not supported")
        }
        let directory = [UInt8](data[(data.startIndex + directoryOffset)..<(data.startIndex + directoryOffset + directorySize)])
        var members: [Member] = []
        var position = 0
        for _ in 0..<count {
            guard position + 46 <= directory.count, read32(directory, position) == 0x0201_4B50 else {
                throw .corruptFile(path, reason: "its central directory entry \(members.count + 1) is damaged")
            }
            let nameLength = Int(read16(directory, position + 28))
            let skip = nameLength + Int(read16(directory, position + 30)) + Int(read16(directory, position + 32))
            guard position + 46 + nameLength <= directory.count else {
                throw .corruptFile(path, reason: "its central directory entry \(members.count + 1) is truncated")
            }
            members.append(
                Member(
                    name: String(decoding: directory[(position + 46)..<(position + 46 + nameLength)], as: UTF8.self),
                    method: read16(directory, position + 10), compressedSize: Int(read32(directory, position + 20)),
                    size: Int(read32(directory, position + 24)), crc: read32(directory, position + 16),
                    localHeaderOffset: Int(read32(directory, position + 42))))
            position += 46 + skip
        }
        return members
    }

    /// The uncompressed bytes of `member`, checked against its CRC-32.
    func contents(of member: Member) throws(SemanticModelError) -> Data {
        let problem = "member '\(member.name)'"
        let header = member.localHeaderOffset
        guard header + 30 <= data.count else { throw .corruptFile(path, reason: "\(problem) starts past the end of the file") }
        let local = [UInt8](data[(data.startIndex + header)..<(data.startIndex + header + 30)])
        guard Self.read32(local, 0) == 0x0403_4B50 else { throw .corruptFile(path, reason: "\(problem) has a damaged local header") }
        let start = header + 30 + Int(Self.read16(local, 26)) + Int(Self.read16(local, 28))
        guard member.size != 0xFFFF_FFFF, start + member.compressedSize <= data.count else {
            throw .corruptFile(path, reason: "\(problem) is truncated or needs ZIP64, which is not supported")
        }
        let compressed = data[(data.startIndex + start)..<(data.startIndex + start + member.compressedSize)]
        let output: Data
        switch member.method {
        case 0: output = Data(compressed)
        case 8: output = try inflate(compressed, size: member.size, problem: problem)
        default: throw .corruptFile(path, reason: "\(problem) uses compression method \(member.method); only stored and deflated are supported")
        }
        let crc = output.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, uInt($0.count))) }
        guard crc == member.crc else { throw .corruptFile(path, reason: "\(problem) fails its CRC-32 check") }
        return output
    }

    private func inflate(_ compressed: Data, size: Int, problem: String) throws(SemanticModelError) -> Data {
        var output = Data(count: size)
        var stream = z_stream()
        // Negative window bits: a raw deflate stream, as zip stores it.
        guard inflateInit2_(&stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corruptFile(path, reason: "zlib could not start for \(problem)")
        }
        defer { inflateEnd(&stream) }
        let status = compressed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: UInt8.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: UInt8.self).baseAddress
                stream.avail_out = uInt(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw .corruptFile(path, reason: "\(problem) does not decompress (zlib status \(status))")
        }
        return output
    }

    private static func read16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func read32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(read16(bytes, offset)) | UInt32(read16(bytes, offset + 2)) << 16
    }
}
