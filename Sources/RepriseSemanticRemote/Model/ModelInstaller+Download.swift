import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RepriseSemantic

extension ModelInstaller {
    /// The public hub; mirrors serve the same `<base>/<repository>/resolve/main/<file>` paths.
    public static let defaultHubURL = "https://huggingface.co"

    /// Downloads the model files from the hub at `hubURL` into a staging folder, verifies them there, and only
    /// then moves them into the models directory: a failed or corrupt download leaves an installed model as it was.
    ///
    /// `config.json` is informative: a hub or mirror that does not serve it (404) is fine.
    /// - Throws: ``RepriseSemantic/SemanticModelError`` naming the URL of the file that failed.
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
        var base = hubURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/" + repository + "/resolve/main/" + file
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
}
