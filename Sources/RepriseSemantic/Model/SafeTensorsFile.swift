import Foundation
import Reprise

/// The tensors of a `.safetensors` file: an 8-byte little-endian header length, a JSON header naming each
/// tensor's type, shape and byte range, then the raw little-endian data.
///
/// Only what the encoder needs is decoded: 32-bit float tensors, by name, checked against the shape the caller
/// expects. Every problem names the file and the tensor.
public struct SafeTensorsFile: Sendable {
    /// One tensor's entry in the header.
    public struct TensorInfo: Sendable, Hashable {
        public var dataType: String
        public var shape: [Int]
        public var byteRange: Range<Int>
    }

    /// The file the tensors came from, for error messages.
    public let path: String
    /// Every tensor in the header, by name.
    public let tensors: [String: TensorInfo]
    private let data: Data
    private let dataStart: Int

    /// Reads and validates the header of the file at `path`; tensor data is read on demand from memory.
    public init(contentsOf path: String) throws(SemanticModelError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .corruptFile(path, reason: "it cannot be read (\(error.localizedDescription))")
        }
        try self.init(data: data, path: path)
    }

    /// Parses safetensors bytes already in memory; `path` only names them in errors.
    public init(data: Data, path: String) throws(SemanticModelError) {
        guard data.count >= 8 else { throw .corruptFile(path, reason: "it is \(data.count) bytes long, too short for a header") }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        guard headerLength > 1, headerLength <= data.count - 8 else {
            throw .corruptFile(path, reason: "its header length \(headerLength) does not fit in its \(data.count) bytes")
        }
        let header: JSONValue
        do {
            header = try JSONParser.parse(data[(data.startIndex + 8)..<(data.startIndex + 8 + headerLength)])
        } catch {
            throw .corruptFile(path, reason: "its header is not valid JSON (\(error))")
        }
        guard let members = header.objectValue else { throw .corruptFile(path, reason: "its header is not a JSON object") }
        let dataLength = data.count - 8 - headerLength
        var tensors: [String: TensorInfo] = [:]
        for (name, value) in members where name != "__metadata__" {
            tensors[name] = try Self.tensorInfo(name, value, dataLength: dataLength, path: path)
        }
        self.path = path
        self.tensors = tensors
        self.data = data
        self.dataStart = 8 + headerLength
    }

    private static func tensorInfo(_ name: String, _ value: JSONValue, dataLength: Int, path: String) throws(SemanticModelError)
        -> TensorInfo
    {
        guard let dataType = value["dtype"]?.stringValue,
            let shape = value["shape"]?.arrayValue?.compactMap(\.intValue),
            let offsets = value["data_offsets"]?.arrayValue?.compactMap(\.intValue), offsets.count == 2
        else {
            throw .badTensor(name, in: path, reason: "has a header entry without dtype, shape or data_offsets")
        }
        guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength else {
            throw .badTensor(name, in: path, reason: "has data offsets \(offsets) outside the file's \(dataLength) data bytes")
        }
        return TensorInfo(dataType: dataType, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// The values of a 32-bit float tensor, in row-major order.
    ///
    /// - Throws: ``SemanticModelError`` naming the tensor when it is missing, not F32, not of `shape`, or truncated.
    public func floats(_ name: String, shape: [Int]) throws(SemanticModelError) -> [Float] {
        guard let info = tensors[name] else { throw .badTensor(name, in: path, reason: "is missing") }
        guard info.dataType == "F32" else { throw .badTensor(name, in: path, reason: "has type \(info.dataType), expected F32") }
        guard info.shape == shape else { throw .badTensor(name, in: path, reason: "has shape \(info.shape), expected \(shape)") }
        let count = shape.reduce(1, *)
        guard info.byteRange.count == count * 4 else {
            throw .badTensor(name, in: path, reason: "holds \(info.byteRange.count) bytes, expected \(count * 4) for shape \(shape)")
        }
        let start = data.startIndex + dataStart + info.byteRange.lowerBound
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data[start..<(start + count * 4)].withUnsafeBytes { raw in
                for index in 0..<count {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            }
            initialized = count
        }
    }
}
