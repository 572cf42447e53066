import Foundation
import Reprise
import Testing

/// The parser against a corpus of documents written for this project in the manner of JSONTestSuite
/// (`Fixtures/json-conformance`, made by `scripts/eval/json-conformance-fixtures.py`): every `y_` document
/// is accepted, every `n_` document refused, and an `i_` document either, without a crash.
@Suite struct JSONConformanceTests {
    static let directory = Bundle.module.url(forResource: "Fixtures/json-conformance", withExtension: nil)!

    static func cases(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    @Test func theCorpusIsThere() {
        #expect(Self.cases("y_").count >= 80)
        #expect(Self.cases("n_").count >= 100)
        #expect(Self.cases("i_").count >= 20)
    }

    @Test(arguments: cases("y_"))
    func acceptsEveryValidDocument(_ name: String) throws {
        let document = try Self.bytes(name)
        let value = try JSONParser.parse(document)
        #expect(try JSONParser.parse(value.canonicalBytes) == value, "the canonical form reads back as the same value")
    }

    @Test(arguments: cases("n_"))
    func refusesEveryInvalidDocument(_ name: String) throws {
        let document = try Self.bytes(name)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(document) }
    }

    @Test(arguments: cases("i_"))
    func decidesEveryImplementationDefinedDocumentWithoutCrashing(_ name: String) throws {
        let document = try Self.bytes(name)
        let standard = try? JSONParser.parse(document)
        let strict = try? JSONParser.parse(document, options: .requestBody)
        #expect(standard != nil || strict == nil, "the strict options never accept what the standard ones refuse")
    }

    /// The choices this parser makes where the RFC leaves room, pinned so they cannot drift.
    @Test(arguments: [
        "i_string_lone_high_surrogate_escape.json", "i_string_utf8_byte_ff.json", "i_structure_utf8_bom.json",
        "i_structure_nested_513_arrays.json", "i_number_ten_digit_exponent.json",
    ])
    func refusesWhatWouldGiveTwoTextsOneKey(_ name: String) throws {
        let document = try Self.bytes(name)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(document) }
    }
}
