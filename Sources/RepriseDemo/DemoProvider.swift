import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Reprise
import Synchronization

/// The simulated OpenAI-compatible provider `reprise demo` runs on loopback: `POST /v1/chat/completions`
/// answered after a realistic, random latency, whole or as a stream of chunks (with the usage chunk when
/// `stream_options.include_usage` asks for it), so the demo needs no network and no key.
///
/// It speaks only what the demo sends; the tests' fake upstream (`RepriseTesting`) covers every provider.
final class DemoProvider: Sendable {
    /// The fastest answer; each adds a random share of `latencySpread`.
    let latency: Duration
    let latencySpread: Duration
    /// The pause between streamed chunks.
    let chunkInterval: Duration
    private let calls = Atomic(0)

    init(latency: Duration, latencySpread: Duration, chunkInterval: Duration) {
        self.latency = latency
        self.latencySpread = latencySpread
        self.chunkInterval = chunkInterval
    }

    /// Chat completions answered so far.
    var callCount: Int { calls.load(ordering: .relaxed) }

    /// Runs the provider on a free loopback port for the duration of `body`, which receives its base URL.
    func withRunning<T: Sendable>(logger: Logger, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/chat/completions") { request, context in try await self.answer(request, context: context) }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    private func answer(_ request: Request, context: some RequestContext) async throws -> Response {
        let bytes = try await request.body.collect(upTo: 1 << 20)
        let body = try JSONParser.parse(Array(bytes.readableBytesView))
        let number = calls.add(1, ordering: .relaxed).newValue
        let spread = latencySpread > .zero ? latencySpread * Double.random(in: 0..<1) : .zero
        try await Task.sleep(for: latency + spread)
        let completion = Self.completion(for: body, number: number)
        guard body["stream"]?.boolValue == true else {
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: completion.canonicalBytes)))
        }
        let events = Self.chunks(of: completion, withUsage: body["stream_options"]?["include_usage"]?.boolValue == true)
        let interval = chunkInterval
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                for event in events {
                    try await Task.sleep(for: interval)
                    try await writer.write(ByteBuffer(string: "data: \(event)\n\n"))
                }
                try await writer.write(ByteBuffer(string: "data: [DONE]\n\n"))
                try await writer.finish(nil)
            })
    }

    /// A chat completion answering the last user turn of `body`, with token counts of about four bytes each.
    static func completion(for body: JSONValue, number: Int) -> JSONValue {
        let question = body["messages"]?.arrayValue?.last?["content"]?.stringValue ?? ""
        let text = "A short answer to \"\(question)\": three sentences a real model might write, each about the question as asked."
        let promptTokens = max(1, PromptText(body: body).all.utf8.count / 4)
        let completionTokens = max(1, text.utf8.count / 4)
        return [
            "id": .string("chatcmpl-demo-\(number)"), "object": "chat.completion", "created": 1_764_201_600,
            "model": body["model"] ?? "gpt-4o",
            "choices": [["index": 0, "message": ["role": "assistant", "content": .string(text)], "finish_reason": "stop"]],
            "usage": [
                "prompt_tokens": .number(JSONNumber(promptTokens)), "completion_tokens": .number(JSONNumber(completionTokens)),
                "total_tokens": .number(JSONNumber(promptTokens + completionTokens)),
            ],
        ]
    }

    /// `completion` as chat-completion chunks in wire form: a role chunk, the text in pieces, a finish chunk, and
    /// the usage chunk when asked for.
    static func chunks(of completion: JSONValue, withUsage: Bool) -> [String] {
        let text = completion["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? ""
        func chunk(_ choices: [JSONValue], usage: JSONValue? = nil) -> String {
            var members: [String: JSONValue] = [
                "id": completion["id"] ?? nil, "object": "chat.completion.chunk", "created": completion["created"] ?? nil,
                "model": completion["model"] ?? nil, "choices": .array(choices),
            ]
            if let usage { members["usage"] = usage }
            return JSONValue.object(members).canonicalText
        }
        var pieces: [String] = [chunk([["index": 0, "delta": ["role": "assistant", "content": ""], "finish_reason": nil]])]
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(chunk([["index": 0, "delta": ["content": .string(String(rest.prefix(12)))], "finish_reason": nil]]))
            rest = rest.dropFirst(12)
        }
        pieces.append(chunk([["index": 0, "delta": [:], "finish_reason": "stop"]]))
        if withUsage { pieces.append(chunk([], usage: completion["usage"])) }
        return pieces
    }
}
