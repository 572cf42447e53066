import Reprise

/// The fields of a cached route's body that the gateway reads or keys on, checked for their type before
/// anything is forwarded: a body the upstream would refuse, or read otherwise than the gateway does, gets
/// the gateway's own 400 instead.
enum RequestBodyShape {
    /// Checks `body`, a JSON object, for `route`.
    /// - Throws: ``GatewayError`` naming the field and what it must be.
    static func check(_ body: JSONValue, route: String) throws(GatewayError) {
        switch route {
        case "/v1/chat/completions", "/v1/messages":
            try requireMessages(body)
            if route == "/v1/messages" { try optional(body, "system", is: .stringOrArray) }
        case "/v1/completions":
            try required(body, "prompt", is: .stringOrArray)
        case "/v1/embeddings":
            try required(body, "input", is: .stringOrArray)
        case "/v1/responses":
            try optional(body, "input", is: .stringOrArray)
            try optional(body, "instructions", is: .stringOrNull)
        default:
            break
        }
        try optional(body, "stream", is: .booleanOrNull)
        try optional(body, "stream_options", is: .objectOrNull)
        try optional(body, "tools", is: .arrayOrNull)
    }

    enum Kind: String {
        case stringOrArray = "a string or an array"
        case stringOrNull = "a string or null"
        case booleanOrNull = "true, false or null"
        case objectOrNull = "an object or null"
        case arrayOrNull = "an array or null"

        func accepts(_ value: JSONValue) -> Bool {
            switch (self, value) {
            case (.stringOrArray, .string), (.stringOrArray, .array): true
            case (.stringOrNull, .string), (.booleanOrNull, .bool), (.objectOrNull, .object), (.arrayOrNull, .array): true
            case (.stringOrNull, .null), (.booleanOrNull, .null), (.objectOrNull, .null), (.arrayOrNull, .null): true
            default: false
            }
        }
    }

    private static func required(_ body: JSONValue, _ field: String, is kind: Kind) throws(GatewayError) {
        guard let value = body[field] else { throw .invalidField(field, "is required and must be \(kind.rawValue)") }
        guard kind.accepts(value) else { throw .invalidField(field, "must be \(kind.rawValue)") }
    }

    private static func optional(_ body: JSONValue, _ field: String, is kind: Kind) throws(GatewayError) {
        guard let value = body[field] else { return }
        guard kind.accepts(value) else { throw .invalidField(field, "must be \(kind.rawValue)") }
    }

    /// `messages`: an array of objects, each naming its role as a string.
    private static func requireMessages(_ body: JSONValue) throws(GatewayError) {
        guard let messages = body["messages"] else { throw .invalidField("messages", "is required and must be an array of messages") }
        guard case .array(let elements) = messages else { throw .invalidField("messages", "must be an array of messages") }
        for (index, message) in elements.enumerated() {
            guard message.objectValue != nil else { throw .invalidField("messages[\(index)]", "must be an object") }
            guard message["role"]?.stringValue != nil else {
                throw .invalidField("messages[\(index)].role", "is required and must be a string")
            }
        }
    }
}
