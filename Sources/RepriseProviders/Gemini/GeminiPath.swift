/// A Gemini model method's path, `/{version}/{collection}/{model}:{method}`, such as
/// `/v1beta/models/gemini-2.5-flash:generateContent`.
struct GeminiPath: Sendable, Hashable {
    var version: String
    /// `models` or `tunedModels`.
    var collection: String
    var model: String
    var method: String

    init?(_ path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 4, segments[0].isEmpty, GeminiProvider.versions.contains(String(segments[1])),
            segments[2] == "models" || segments[2] == "tunedModels",
            let colon = segments[3].lastIndex(of: ":")
        else { return nil }
        let model = segments[3][..<colon]
        let method = segments[3][segments[3].index(after: colon)...]
        guard !model.isEmpty, !method.isEmpty else { return nil }
        self.version = String(segments[1])
        self.collection = String(segments[2])
        self.model = String(model)
        self.method = String(method)
    }
}
