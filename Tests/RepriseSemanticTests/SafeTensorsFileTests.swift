import Foundation
import Testing
import RepriseSemantic

@Suite("safetensors reader")
struct SafeTensorsFileTests {
    /// A file with the given header entries and data bytes.
    func file(header: String, data: [UInt8]) -> Data {
        let header = Array(header.utf8)
        var bytes = (0..<8).map { UInt8((header.count >> (8 * $0)) & 0xFF) }
        bytes += header + data
        return Data(bytes)
    }

    let floats: [UInt8] = [1.5, -2].flatMap { (value: Float) in withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init) }

    @Test("reads an F32 tensor of the expected shape")
    func readsTensor() throws {
        let data = file(header: #"{"__metadata__":{"format":"pt"},"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: floats)
        let tensors = try SafeTensorsFile(data: data, path: "m.safetensors")
        #expect(try tensors.floats("t", shape: [2]) == [1.5, -2])
    }

    @Test("a missing tensor, a wrong shape or type names the file and the tensor")
    func badTensors() throws {
        let data = file(header: #"{"t":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#, data: floats)
        let tensors = try SafeTensorsFile(data: data, path: "/m/model.safetensors")
        for (name, shape, words) in [("u", [2], "is missing"), ("t", [4], "type F16"), ("t", [3], "type F16")] {
            #expect {
                try tensors.floats(name, shape: shape)
            } throws: { error in
                let text = "\(error)"
                return text.contains("/m/model.safetensors") && text.contains("'\(name)'") && text.contains(words)
            }
        }
    }

    @Test("a corrupt header or truncated data is an error, not a crash", arguments: [
        Data([1, 2, 3]),
        Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B]),
        Data([4, 0, 0, 0, 0, 0, 0, 0] + Array("nope".utf8)),
    ])
    func corruptHeader(data: Data) {
        #expect(throws: SemanticModelError.self) { try SafeTensorsFile(data: data, path: "x.safetensors") }
    }

    @Test("data offsets past the end are rejected")
    func truncated() {
        let data = file(header: #"{"t":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: floats)
        #expect { try SafeTensorsFile(data: data, path: "x.safetensors") } throws: { "\($0)".contains("'t'") }
    }

    @Test("a missing file is named")
    func missingFile() {
        #expect { try SafeTensorsFile(contentsOf: "/nonexistent/model.safetensors") } throws: {
            "\($0)".contains("/nonexistent/model.safetensors") && "\($0)".contains("reprise model pull")
        }
    }
}
