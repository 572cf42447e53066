import Reprise

/// A cached `generateContent` response as the events `streamGenerateContent?alt=sse` would have sent: for
/// each candidate its text in pieces (other parts whole), then a last event with the finish reasons, safety
/// ratings and `usageMetadata`; every event carries `modelVersion` and `responseId`.
struct GeminiStreamReplay {
    let response: JSONValue

    func events() -> [ServerSentEvent] {
        var identity: [String: JSONValue] = [:]
        for field in ["modelVersion", "responseId", "createTime"] {
            if let value = response[field] { identity[field] = value }
        }
        var events: [ServerSentEvent] = []
        let candidates = response["candidates"]?.arrayValue ?? []
        for (position, candidate) in candidates.enumerated() {
            let index = candidate["index"] ?? .number(JSONNumber(position))
            let role = candidate["content"]?["role"] ?? "model"
            for part in candidate["content"]?["parts"]?.arrayValue ?? [] {
                let pieces: [JSONValue]
                if let text = part["text"]?.stringValue, part.objectValue?.count == 1 {
                    pieces = ReplayText.pieces(of: text).map { ["text": .string($0)] }
                } else {
                    pieces = [part]
                }
                for piece in pieces {
                    events.append(event(identity, ["candidates": [["content": ["parts": [piece], "role": role], "index": index]]]))
                }
            }
        }
        var last: [String: JSONValue] = [:]
        last["candidates"] = .array(candidates.enumerated().map { position, candidate in
            var members = candidate.objectValue ?? [:]
            members["content"] = ["parts": [["text": ""]], "role": candidate["content"]?["role"] ?? "model"]
            members["index"] = candidate["index"] ?? .number(JSONNumber(position))
            return .object(members)
        })
        if let usage = response["usageMetadata"] { last["usageMetadata"] = usage }
        if let feedback = response["promptFeedback"] { last["promptFeedback"] = feedback }
        events.append(event(identity, last))
        return events
    }

    private func event(_ identity: [String: JSONValue], _ members: [String: JSONValue]) -> ServerSentEvent {
        ServerSentEvent(data: JSONValue.object(identity.merging(members) { _, new in new }).canonicalText)
    }
}
