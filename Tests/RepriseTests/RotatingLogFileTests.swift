import Foundation
import Reprise
import Testing

@Suite struct RotatingLogFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-log-\(UUID().uuidString)").path

    var path: String { (directory as NSString).appendingPathComponent("logs/requests.jsonl") }

    /// A 40-byte line naming `number`.
    func line(_ number: Int) -> [UInt8] {
        let text = "{\"line\":\(number)}"
        return Array((text + String(repeating: " ", count: 39 - text.utf8.count) + "\n").utf8)
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func lines(_ numbers: ClosedRange<Int>) -> String {
        numbers.map { String(decoding: line($0), as: UTF8.self) }.joined()
    }

    @Test func theLogAndItsRolledFilesAreOwnerOnly() throws {
        let log = try RotatingLogFile(path: path, maximumBytes: 80, maximumFiles: 2)
        for number in 1...5 { try log.append(line(number)) }
        try log.synchronize()
        for file in [path, path + ".1"] {
            let permissions = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)
            #expect(permissions.intValue & 0o777 == 0o600, "\(file)")
        }
    }

    @Test func createsTheFileAndItsDirectory() throws {
        let log = try RotatingLogFile(path: path)
        try log.append(line(1))
        try log.synchronize()
        #expect(contents(path) == lines(1...1))
    }

    @Test func rollsOverAtTheSizeAndKeepsTheConfiguredNumberOfFiles() throws {
        let log = try RotatingLogFile(path: path, maximumBytes: 100, maximumFiles: 2)
        for number in 1...7 { try log.append(line(number)) }
        try log.synchronize()
        #expect(contents(path) == lines(7...7))
        #expect(contents(path + ".1") == lines(5...6))
        #expect(contents(path + ".2") == lines(3...4))
        #expect(!FileManager.default.fileExists(atPath: path + ".3"), "the oldest file is deleted")
    }

    @Test func aFileNeverGrowsPastTheBoundUnlessOneLineIsLarger() throws {
        let log = try RotatingLogFile(path: path, maximumBytes: 100, maximumFiles: 1)
        try log.append(line(1))
        try log.append(line(2))
        #expect(contents(path)?.utf8.count == 80)
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 250)
        try log.append(huge)
        #expect(contents(path)?.utf8.count == 250)
        #expect(contents(path + ".1") == lines(1...2))
        try log.append(line(3))
        #expect(contents(path) == lines(3...3))
        #expect(contents(path + ".1")?.utf8.count == 250)
    }

    @Test func reopeningAppendsAndCountsTheExistingSize() throws {
        do {
            let log = try RotatingLogFile(path: path, maximumBytes: 100)
            try log.append(line(1))
            try log.append(line(2))
        }
        let reopened = try RotatingLogFile(path: path, maximumBytes: 100)
        try reopened.append(line(3))
        try reopened.synchronize()
        #expect(contents(path) == lines(3...3))
        #expect(contents(path + ".1") == lines(1...2))
    }

    @Test func withoutABoundTheFileNeverRolls() throws {
        let log = try RotatingLogFile(path: path)
        for number in 1...50 { try log.append(line(number)) }
        try log.synchronize()
        #expect(contents(path) == lines(1...50))
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func keepingNoFilesStartsAfreshAtEachRoll() throws {
        let log = try RotatingLogFile(path: path, maximumBytes: 50, maximumFiles: 0)
        for number in 1...3 { try log.append(line(number)) }
        try log.synchronize()
        #expect(contents(path) == lines(3...3))
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func unwritablePathIsAConfigurationErrorNamingIt() throws {
        let blocker = (directory as NSString).appendingPathComponent("blocker")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "not a directory".write(toFile: blocker, atomically: true, encoding: .utf8)
        let inside = (blocker as NSString).appendingPathComponent("requests.jsonl")
        let error = #expect(throws: ConfigurationError.self) { try RotatingLogFile(path: inside) }
        #expect(error?.message.contains(inside) == true)
    }
}
