import Hummingbird
import NIOCore
import Reprise

/// The fake upstream's streamed answers, as Server-Sent Events in OpenAI's formats: chat-completion and
/// text-completion chunks ending in `data: [DONE]`, and the Responses API's typed events. Each builder
/// returns the events in wire form, for ``eventStream(_:interval:breaksOff:onFinish:)`` to send.
enum FakeStreams {
    /// The chunks of a chat completion: a role chunk, content or tool-call chunks, a finish chunk, a
    /// usage chunk when `stream_options.include_usage` is set, then `[DONE]`.
    static func chatCompletion(for body: JSONValue, identifier: Int, cachedTokens: Int = 0) -> [String] {
        let complete = FakeAnswers.chatCompletion(for: body, identifier: identifier, cachedTokens: cachedTokens)
        let message = complete["choices"]?.arrayValue?.first?["message"] ?? [:]
        let finish = complete["choices"]?.arrayValue?.first?["finish_reason"] ?? "stop"
        func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> JSONValue {
            self.chunk(of: complete, object: "chat.completion.chunk", choices: [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]])
        }
        var chunks: [JSONValue] = [chunk(["role": "assistant", "content": "", "refusal": nil])]
        if let calls = message["tool_calls"]?.arrayValue, let call = calls.first {
            let arguments = call["function"]?["arguments"]?.stringValue ?? ""
            chunks.append(chunk(["tool_calls": [[
                "index": 0, "id": call["id"] ?? nil, "type": "function",
                "function": ["name": call["function"]?["name"] ?? nil, "arguments": ""],
            ]]]))
            for piece in pieces(of: arguments, size: 8) {
                chunks.append(chunk(["tool_calls": [["index": 0, "function": ["arguments": .string(piece)]]]]))
            }
        } else {
            for piece in pieces(of: message["content"]?.stringValue ?? "", size: 12) {
                chunks.append(chunk(["content": .string(piece)]))
            }
        }
        chunks.append(chunk([:], finish: finish))
        return dataLines(chunks + usageChunk(of: complete, object: "chat.completion.chunk", request: body))
    }

    /// The chunks of a legacy text completion (`object: text_completion`): text pieces, a finish chunk,
    /// a usage chunk when asked for, then `[DONE]`.
    static func textCompletion(for body: JSONValue, identifier: Int) -> [String] {
        let complete = FakeAnswers.textCompletion(for: body, identifier: identifier)
        let text = complete["choices"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        func chunk(_ text: String, finish: JSONValue = nil) -> JSONValue {
            self.chunk(of: complete, object: "text_completion", choices: [["text": .string(text), "index": 0, "logprobs": nil, "finish_reason": finish]])
        }
        let chunks = pieces(of: text, size: 12).map { chunk($0) } + [chunk("", finish: "stop")]
        return dataLines(chunks + usageChunk(of: complete, object: "text_completion", request: body))
    }

    /// A chunk carrying `complete`'s identity (id, created, model, fingerprint) and `choices`.
    private static func chunk(of complete: JSONValue, object: String, choices: [JSONValue]) -> JSONValue {
        var members: [String: JSONValue] = ["object": .string(object), "choices": .array(choices)]
        for field in ["id", "created", "model", "system_fingerprint"] {
            if let value = complete[field] { members[field] = value }
        }
        return .object(members)
    }

    /// The usage chunk (`choices: []`) OpenAI sends last when the request sets `stream_options.include_usage`.
    private static func usageChunk(of complete: JSONValue, object: String, request: JSONValue) -> [JSONValue] {
        guard request["stream_options"]?["include_usage"]?.boolValue == true,
            case .object(var members) = chunk(of: complete, object: object, choices: [])
        else { return [] }
        members["usage"] = complete["usage"] ?? nil
        return [.object(members)]
    }

    private static func dataLines(_ chunks: [JSONValue]) -> [String] {
        chunks.map { "data: \($0.canonicalText)\n\n" } + ["data: [DONE]\n\n"]
    }

    /// A `text/event-stream` response sending `events` one by one, `interval` apart. When `breaksOff`, only
    /// the first half is sent and the connection is then dropped, as an upstream that fails mid-answer;
    /// `onFinish` runs when every event was written.
    static func eventStream(
        _ events: [String], interval: Duration, breaksOff: Bool, onFinish: @escaping @Sendable () -> Void
    ) -> Response {
        let sent = breaksOff ? Array(events.prefix(max(1, events.count / 2))) : events
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for event in sent {
                    if interval > .zero { try await Task.sleep(for: interval) }
                    try await writer.write(ByteBuffer(string: event))
                }
                if breaksOff { throw CancellationError() }
                try await writer.finish(nil)
                onFinish()
            })
    }

    /// `text` in pieces of about `size` characters, split at word boundaries where possible.
    static func pieces(of text: String, size: Int) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count >= size, character == " " || current.count >= size * 2 {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
