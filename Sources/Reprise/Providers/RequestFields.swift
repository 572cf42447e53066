/// Type checks on the request fields providers read, with errors that name the field.
public enum RequestFields {
    /// What a field may be.
    public enum Kind: String, Sendable {
        case stringOrArray = "a string or an array"
        case stringOrNull = "a string or null"
        case booleanOrNull = "true, false or null"
        case objectOrNull = "an object or null"
        case arrayOrNull = "an array or null"
        case array = "an array"
        case object = "an object"

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.stringOrArray, .string), (.stringOrArray, .array), (.array, .array), (.object, .object): true
            case (.stringOrNull, .string), (.booleanOrNull, .bool), (.objectOrNull, .object), (.arrayOrNull, .array): true
            case (.stringOrNull, .null), (.booleanOrNull, .null), (.objectOrNull, .null), (.arrayOrNull, .null): true
            default: false
            }
        }
    }

    /// `field` must be present and of `kind`.
    public static func required(_ body: JSONValue, _ field: String, is kind: Kind) throws(ProviderBodyError) {
        guard let value = body[field] else { throw ProviderBodyError(field: field, problem: "is required and must be \(kind.rawValue)") }
        guard kind.accepts(value) else { throw ProviderBodyError(field: field, problem: "must be \(kind.rawValue)") }
    }

    /// `field`, when present, must be of `kind`.
    public static func optional(_ body: JSONValue, _ field: String, is kind: Kind) throws(ProviderBodyError) {
        guard let value = body[field] else { return }
        guard kind.accepts(value) else { throw ProviderBodyError(field: field, problem: "must be \(kind.rawValue)") }
    }

    /// `messages`: an array of objects, each naming its role as a string.
    public static func requireMessages(_ body: JSONValue) throws(ProviderBodyError) {
        guard let messages = body["messages"] else {
            throw ProviderBodyError(field: "messages", problem: "is required and must be an array of messages")
        }
        guard case .array(let elements) = messages else { throw ProviderBodyError(field: "messages", problem: "must be an array of messages") }
        for (index, message) in elements.enumerated() {
            guard message.objectValue != nil else { throw ProviderBodyError(field: "messages[\(index)]", problem: "must be an object") }
            guard message["role"]?.stringValue != nil else {
                throw ProviderBodyError(field: "messages[\(index)].role", problem: "is required and must be a string")
            }
        }
    }
}
