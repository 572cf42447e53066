import Hummingbird
import NIOCore
import Reprise

/// The fake upstream's streamed answers, as Server-Sent Events in OpenAI's chunk format.
enum FakeStreams {
    static func chatCompletion(for body: JSONValue, identifier: Int, interval: Duration) -> Response {
        let model = body["model"]?.stringValue ?? "gpt-4o-mini"
        let complete = FakeAnswers.chatCompletion(for: body, identifier: identifier)
        let message = complete["choices"]?.arrayValue?.first?["message"] ?? [:]
        let finish = complete["choices"]?.arrayValue?.first?["finish_reason"] ?? "stop"
        func chunk(_ delta: JSONValue, finish: JSONValue = nil) -> JSONValue {
            [
                "id": .string("chatcmpl-fake-\(identifier)"), "object": "chat.completion.chunk",
                "created": .number(JSONNumber(FakeAnswers.created)), "model": .string(model), "system_fingerprint": "fp_fake",
                "choices": [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": finish]],
            ]
        }
        var events: [JSONValue] = [chunk(["role": "assistant", "content": "", "refusal": nil])]
        if let calls = message["tool_calls"]?.arrayValue, let call = calls.first {
            let arguments = call["function"]?["arguments"]?.stringValue ?? ""
            events.append(chunk(["tool_calls": [[
                "index": 0, "id": call["id"] ?? nil, "type": "function",
                "function": ["name": call["function"]?["name"] ?? nil, "arguments": ""],
            ]]]))
            for piece in pieces(of: arguments, size: 8) {
                events.append(chunk(["tool_calls": [["index": 0, "function": ["arguments": .string(piece)]]]]))
            }
        } else {
            for piece in pieces(of: message["content"]?.stringValue ?? "", size: 12) {
                events.append(chunk(["content": .string(piece)]))
            }
        }
        events.append(chunk([:], finish: finish))
        if body["stream_options"]?["include_usage"]?.boolValue == true {
            var usage = chunk([:])
            if case .object(var members) = usage {
                members["choices"] = []
                members["usage"] = complete["usage"]
                usage = .object(members)
            }
            events.append(usage)
        }
        let cut = model == "cut-stream"
        let lines = (cut ? Array(events.prefix(2)) : events).map { "data: \($0.canonicalText)\n\n" } + (cut ? [] : ["data: [DONE]\n\n"])
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for line in lines {
                    if interval > .zero { try await Task.sleep(for: interval) }
                    try await writer.write(ByteBuffer(string: line))
                }
                if cut { throw CancellationError() }
                try await writer.finish(nil)
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
