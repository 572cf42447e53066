import Reprise

/// Assembles a Gemini `streamGenerateContent?alt=sse` stream — each event a partial
/// `GenerateContentResponse` — into the response `generateContent` gives: per candidate, the text of
/// consecutive text parts joined and other parts (function calls, code) kept in order, the last finish
/// reason, safety ratings and citations; the last `usageMetadata`, `modelVersion` and `responseId`.
///
/// Gemini's stream has no end event: it is complete when every candidate has a finish reason. A stream that
/// breaks off before that, or an event that is not JSON or carries an `error`, leaves it incomplete.
struct GeminiStreamAssembler: StreamAssembler {
    private struct Candidate {
        var role: JSONValue = "model"
        var parts: [JSONValue] = []
        var finishReason: JSONValue?
        var extra: [String: JSONValue] = [:]
    }

    private var candidates: [Int: Candidate] = [:]
    private var header: [String: JSONValue] = [:]
    private var isBroken = false

    var isComplete: Bool {
        !isBroken && !candidates.isEmpty && candidates.values.allSatisfy { $0.finishReason != nil }
    }

    mutating func consume(_ event: ServerSentEvent) {
        guard !isBroken else { return }
        guard let chunk = try? JSONParser.parse(event.data), let members = chunk.objectValue, members["error"] == nil else {
            isBroken = true
            return
        }
        for field in ["usageMetadata", "modelVersion", "responseId", "promptFeedback", "createTime"] {
            if let value = members[field], value != .null { header[field] = value }
        }
        for (position, element) in (members["candidates"]?.arrayValue ?? []).enumerated() {
            consume(candidate: element, position: position)
        }
    }

    private mutating func consume(candidate element: JSONValue, position: Int) {
        let index = element["index"]?.intValue ?? position
        var candidate = candidates[index] ?? Candidate()
        if let role = element["content"]?["role"], role != .null { candidate.role = role }
        for part in element["content"]?["parts"]?.arrayValue ?? [] {
            // Text arriving in pieces joins the text part before it, as the whole answer has it.
            if let text = part["text"]?.stringValue, part.objectValue?.count == 1, let last = candidate.parts.last,
                let previous = last["text"]?.stringValue, last.objectValue?.count == 1
            {
                candidate.parts[candidate.parts.count - 1] = ["text": .string(previous + text)]
            } else {
                candidate.parts.append(part)
            }
        }
        if let reason = element["finishReason"], reason != .null { candidate.finishReason = reason }
        for field in ["safetyRatings", "citationMetadata", "groundingMetadata", "avgLogprobs", "logprobsResult", "finishMessage"] {
            if let value = element[field], value != .null { candidate.extra[field] = value }
        }
        candidates[index] = candidate
    }

    func assembledBody() -> JSONValue? {
        guard isComplete else { return nil }
        var body = header
        body["candidates"] = .array(candidates.keys.sorted().map { index in
            let candidate = candidates[index]!
            var members = candidate.extra
            members["content"] = ["parts": .array(candidate.parts), "role": candidate.role]
            members["finishReason"] = candidate.finishReason ?? nil
            members["index"] = .number(JSONNumber(index))
            return .object(members)
        })
        return .object(body)
    }
}
