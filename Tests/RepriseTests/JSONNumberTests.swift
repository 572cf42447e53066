import Reprise
import Testing

@Suite struct JSONNumberTests {
    /// The canonical text of the number literal `text`, read as a JSON document.
    private func canonical(_ text: String) throws -> String {
        let value = try JSONParser.parse(text)
        guard case .number(let number) = value else {
            Issue.record("'\(text)' did not parse as a number but as \(value)")
            return ""
        }
        return number.canonical
    }

    @Test(arguments: ["1", "1.0", "1e0", "10e-1", "1.00E+0", "0.1e1", "100e-2", "1e+0", "0.001E3", "1.000000000000000000000000"])
    func spellingsOfOneAreTheSameNumber(_ text: String) throws {
        #expect(try canonical(text) == "1")
        #expect(try JSONParser.parse(text) == .number(JSONNumber(1)))
    }

    @Test(arguments: ["-0", "-0.0", "-0e5", "0e-3", "0.000", "-0E+0"])
    func negativeZeroAndZeroSpellingsAreZero(_ text: String) throws {
        #expect(try canonical(text) == "0")
    }

    /// Expected texts follow ECMAScript's Number::toString layout: plain digits while the decimal point
    /// is within 21 places of the first digit, `0.000…` down to six zeros after the point, scientific
    /// notation with an explicit exponent sign otherwise.
    @Test(arguments: [
        ("0.5", "0.5"), ("-1.25", "-1.25"), ("1500", "1500"), ("1.5e3", "1500"), ("123.456e3", "123456"),
        ("1234.5e-2", "12.345"), ("1e20", "100000000000000000000"), ("1e21", "1e+21"), ("-1e21", "-1e+21"),
        ("1.5e30", "1.5e+30"), ("1e-6", "0.000001"), ("0.00001", "0.00001"), ("0.000001234", "0.000001234"),
        ("1e-7", "1e-7"), ("0.0000001", "1e-7"), ("2e-7", "2e-7"), ("-1e-7", "-1e-7"), ("1.23e-7", "1.23e-7"),
        ("5e-324", "5e-324"), ("1.7976931348623157e308", "1.7976931348623157e+308"), ("120e-1", "12"),
    ])
    func canonicalTextFollowsTheECMAScriptLayout(literal: String, expected: String) throws {
        #expect(try canonical(literal) == expected)
    }

    @Test func largeIntegersKeepEveryDigit() throws {
        #expect(try canonical("123456789012345678901") == "123456789012345678901")
        #expect(try canonical("999999999999999999999") == "999999999999999999999")
        #expect(try canonical("12345678901234567890123") == "1.2345678901234567890123e+22")
        #expect(try canonical("12345678901234567890123") != canonical("12345678901234567890124"))
        #expect(try canonical("-9223372036854775809") == "-9223372036854775809")
    }

    @Test func decimalsAreExactNotRoundedThroughBinaryFloatingPoint() throws {
        // Both spellings round to the same Double; as JSON they are different numbers.
        #expect(try canonical("0.1") != canonical("0.10000000000000001"))
        #expect(try canonical("0.30000000000000000000000000001") == "0.30000000000000000000000000001")
    }

    @Test func integersAndDoublesConstructTheSameNormalForm() throws {
        #expect(JSONNumber(42).canonical == "42")
        #expect(JSONNumber(Int.min).canonical == "-9223372036854775808")
        #expect(try JSONParser.parse("-9223372036854775808") == .number(JSONNumber(Int.min)))
        #expect(JSONNumber(0.1).canonical == "0.1")
        #expect(JSONNumber(2.5) == JSONNumber(Double(5) / 2))
        #expect(try JSONParser.parse("25e-1") == .number(JSONNumber(2.5)))
        #expect(JSONNumber(1e21).canonical == "1e+21")
        #expect(JSONNumber(1e-7).canonical == "1e-7")
        #expect(JSONNumber(-0.0).canonical == "0")
        #expect(JSONNumber(3.0) == JSONNumber(3))
    }

    @Test func nonFiniteDoublesBecomeZero() {
        #expect(JSONNumber(Double.nan).canonical == "0")
        #expect(JSONNumber(Double.infinity).canonical == "0")
    }

    @Test func numericAccessors() throws {
        #expect(try JSONParser.parse("1e2").intValue == 100)
        #expect(try JSONParser.parse("-7.0").intValue == -7)
        #expect(try JSONParser.parse("1.5").intValue == nil)
        #expect(try JSONParser.parse("1e21").intValue == nil)
        #expect(try JSONParser.parse("1.5").doubleValue == 1.5)
        #expect(try JSONParser.parse("-2.5e-3").doubleValue == -0.0025)
        #expect(try JSONParser.parse(#""1""#).intValue == nil)
    }

    @Test func numbersInsideDocumentsAreCanonical() throws {
        let document = try JSONParser.parse(#"{"t": 1.0, "list": [1e0, 10E-1, -0, 2.50]}"#)
        #expect(document.canonicalText == #"{"list":[1,1,0,2.5],"t":1}"#)
    }
}
