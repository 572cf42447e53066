import Foundation
import RepriseSemantic
import RepriseSemanticRemote
import Testing

/// `ModelInstaller.download(hubURL:)` (`reprise model pull --hub-url`) against a loopback server laid out like
/// the Hugging Face hub, serving the model the test script installed.
@Suite("model download from a hub", .enabled(if: TestModel.isAvailable, TestModel.absentReason))
struct ModelDownloadTests {
    static let prefix = "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/"

    /// A hub serving the installed model's files; `override` may answer a file differently (status and body).
    static func hub(override: @escaping @Sendable (String, Data) -> LoopbackServer.Answer? = { _, _ in nil }) -> LoopbackServer {
        LoopbackServer { request in
            guard request.path.hasPrefix(prefix) else { return LoopbackServer.Answer(status: 404, body: Data("Entry not found".utf8)) }
            let file = String(request.path.dropFirst(prefix.count))
            guard let data = FileManager.default.contents(atPath: TestModel.directory! + "/" + file) else {
                return LoopbackServer.Answer(status: 404, body: Data("Entry not found".utf8))
            }
            return override(file, data) ?? LoopbackServer.Answer(status: 200, body: data)
        }
    }

    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "reprise-download-\(UUID().uuidString)/all-MiniLM-L6-v2"
    }

    func hasModelFiles(_ directory: String) -> Bool {
        ModelInstaller.files.contains { FileManager.default.fileExists(atPath: directory + "/" + $0) }
    }

    func leftovers(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".download") }
    }

    @Test("downloads the model files from the hub layout and embeds like the original")
    func download() async throws {
        let target = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (target as NSString).deletingLastPathComponent) }
        let server = Self.hub()
        let embedder = try await server.withRunning { url in try await ModelInstaller(directory: target).download(hubURL: url + "/") }
        #expect(Set(server.requests.map(\.path)) == Set(ModelInstaller.files.map { Self.prefix + $0 }))
        for file in ModelInstaller.files {
            #expect(FileManager.default.contents(atPath: target + "/" + file) == FileManager.default.contents(atPath: TestModel.directory! + "/" + file))
        }
        #expect(leftovers(target).isEmpty)
        let reference = ReferenceEmbedding.all[3]
        #expect(cosine(try await embedder.embed(reference.text), reference.embedding) >= 0.9999)
        let reloaded = try BuiltInEmbedder(model: .miniLM, modelDirectory: target)
        #expect(try await reloaded.embed(reference.text) == (try await embedder.embed(reference.text)))
    }

    @Test("a 404 for a required file names the file and its URL and installs nothing; a missing config.json is fine")
    func notFound() async throws {
        let target = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (target as NSString).deletingLastPathComponent) }
        let server = Self.hub { file, _ in file == "vocab.txt" ? LoopbackServer.Answer(status: 404, body: Data("Entry not found".utf8)) : nil }
        try await server.withRunning { url in
            await #expect {
                try await ModelInstaller(directory: target).download(hubURL: url)
            } throws: { error in
                let message = "\(error)"
                return message.contains(url + Self.prefix + "vocab.txt") && message.contains("404")
            }
        }
        #expect(!hasModelFiles(target))
        #expect(leftovers(target).isEmpty)

        let withoutConfiguration = Self.hub { file, _ in file == "config.json" ? LoopbackServer.Answer(status: 404, body: Data()) : nil }
        let embedder = try await withoutConfiguration.withRunning { url in try await ModelInstaller(directory: target).download(hubURL: url) }
        #expect(embedder.dimension == 384)
        #expect(FileManager.default.fileExists(atPath: target + "/model.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: target + "/config.json"))
    }

    @Test("a truncated weights file is refused naming it and its URL, and an installed model stays usable")
    func truncatedWeights() async throws {
        let target = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: (target as NSString).deletingLastPathComponent) }
        let truncating = Self.hub { file, data in
            file == ModelInstaller.weightsFile ? LoopbackServer.Answer(status: 200, body: data.prefix(data.count / 2)) : nil
        }
        try await truncating.withRunning { url in
            await #expect {
                try await ModelInstaller(directory: target).download(hubURL: url)
            } throws: { error in
                let message = "\(error)"
                return message.contains(url + Self.prefix + "model.safetensors") && message.contains("Nothing was installed")
            }
        }
        #expect(!hasModelFiles(target))
        #expect(leftovers(target).isEmpty)

        _ = try ModelInstaller(directory: target).install(from: TestModel.directory!)
        let garbage = Self.hub { file, _ in file == ModelInstaller.weightsFile ? LoopbackServer.Answer(status: 200, body: Data(count: 4096)) : nil }
        try await garbage.withRunning { url in
            await #expect(throws: SemanticModelError.self) { try await ModelInstaller(directory: target).download(hubURL: url) }
        }
        #expect(FileManager.default.contents(atPath: target + "/model.safetensors") == FileManager.default.contents(atPath: TestModel.directory! + "/model.safetensors"))
        #expect(throws: Never.self) { try BuiltInEmbedder(model: .miniLM, modelDirectory: target) }
    }
}
