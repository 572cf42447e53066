/// An error the gateway answers itself, before the provider renders it in its own shape.
public struct ProviderError: Sendable, Hashable {
    /// What kind of failure it is, which each provider names its own way.
    public enum Category: String, Sendable, Hashable {
        case invalidRequest
        case authentication
        case notFound
        case tooLarge
        case timeout
        case upstream
    }

    /// The HTTP status answered.
    public var status: Int
    public var category: Category
    /// The gateway's machine-readable code, such as `invalid_json` or `upstream_timeout`.
    public var code: String
    /// What went wrong and what to do, never containing a credential.
    public var message: String
    /// The request field at fault, when there is one.
    public var parameter: String?

    public init(status: Int, category: Category, code: String, message: String, parameter: String? = nil) {
        self.status = status
        self.category = category
        self.code = code
        self.message = message
        self.parameter = parameter
    }
}

/// A request body whose field the provider cannot accept.
public struct ProviderBodyError: Error, Sendable, Hashable {
    /// The field at fault, such as `messages[0].role`.
    public var field: String
    /// What it must be, such as `is required and must be a string`.
    public var problem: String

    public init(field: String, problem: String) {
        self.field = field
        self.problem = problem
    }
}
