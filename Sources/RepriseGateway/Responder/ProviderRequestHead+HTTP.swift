import HTTPTypes
import Hummingbird
import Reprise

extension ProviderRequestHead {
    /// The head of a request as Hummingbird received it.
    init(_ request: Request) {
        self.init(method: request.method.rawValue, path: request.uri.path, query: request.uri.query, fields: request.headers)
    }

    /// The head of a request as the connection guard sees it, before the body.
    init(_ request: HTTPRequest) {
        let target = request.path ?? "/"
        let mark = target.firstIndex(of: "?")
        self.init(
            method: request.method.rawValue, path: mark.map { String(target[..<$0]) } ?? target,
            query: mark.map { String(target[target.index(after: $0)...]) }, fields: request.headerFields)
    }

    init(method: String, path: String, query: String?, fields: HTTPFields) {
        self.init(method: method, path: path, query: query) { name in
            guard let field = HTTPField.Name(name) else { return nil }
            let values = fields[values: field]
            return values.isEmpty ? nil : values.joined(separator: ", ")
        }
    }
}
