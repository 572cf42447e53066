import Reprise

/// The fields of an OpenAI-shaped body the gateway reads or keys on, checked for their type.
enum OpenAIRequestShape {
    static func check(_ body: JSONValue, kind: String) throws(ProviderBodyError) {
        switch kind {
        case "chat":
            try RequestFields.requireMessages(body)
        case "completions":
            try RequestFields.required(body, "prompt", is: .stringOrArray)
        case "embeddings":
            try RequestFields.required(body, "input", is: .stringOrArray)
        case "responses":
            try RequestFields.optional(body, "input", is: .stringOrArray)
            try RequestFields.optional(body, "instructions", is: .stringOrNull)
        default:
            break
        }
        try RequestFields.optional(body, "stream", is: .booleanOrNull)
        try RequestFields.optional(body, "stream_options", is: .objectOrNull)
        try RequestFields.optional(body, "tools", is: .arrayOrNull)
    }
}
