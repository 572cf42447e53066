import Foundation
import Reprise

/// Two texts and whether one may be answered with the other's answer: a line `{"a", "b", "same"}` of a pairs file.
public struct LabeledPair: Sendable, Hashable {
    public var a: String
    public var b: String
    public var same: Bool

    public init(a: String, b: String, same: Bool) {
        self.a = a
        self.b = b
        self.same = same
    }

    /// Reads a JSON Lines pairs file; blank lines are skipped, other members (such as `source`) ignored.
    ///
    /// - Throws: ``ConfigurationError`` naming the file, the line and the problem.
    public static func load(contentsOf path: String) throws(ConfigurationError) -> [LabeledPair] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path, reason: "it does not exist or cannot be read")
        }
        var pairs: [LabeledPair] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
            let value: JSONValue
            do {
                value = try JSONParser.parse(line)
            } catch {
                throw .invalidFile(path, reason: "line \(number + 1) is not JSON (\(error))")
            }
            guard let a = value["a"]?.stringValue, let b = value["b"]?.stringValue, let same = value["same"]?.boolValue else {
                throw .invalidFile(path, reason: "line \(number + 1) needs string members \"a\" and \"b\" and a boolean \"same\"")
            }
            pairs.append(LabeledPair(a: a, b: b, same: same))
        }
        return pairs
    }
}
