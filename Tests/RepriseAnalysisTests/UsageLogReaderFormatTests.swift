import Foundation
import Reprise
import RepriseAnalysis
import Testing

/// Each format read from a small file, with its fields mapped onto ``UsageRecord``.
@Suite struct UsageLogReaderFormatTests {
    /// Reads `text` as the file `name` and returns its records and the summary.
    static func read(_ name: String, _ text: String, format: UsageLogFormat? = nil) throws -> ([UsageRecord], UsageLogReadSummary) {
        let files = try TemporaryLogFiles()
        var reader = UsageLogReader(paths: [try files.write(name, text)], format: format)
        var records: [UsageRecord] = []
        try reader.forEach { records.append($0) }
        return (records, reader.summary)
    }

    static func at(_ seconds: Int64, milliseconds: Int64 = 0) -> EpochInstant {
        EpochInstant(millisecondsSinceEpoch: seconds * 1000 + milliseconds)
    }

    @Test func repriseRequestLogLinesAsTheGatewayWritesThem() throws {
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Opening hours?"}]}"#
        let hit = RequestLogRecord(
            timestamp: "2026-01-02T03:04:05.250Z", route: "/v1/chat/completions", model: "gpt-4o-mini", key: "ab12cd34ef56ab78",
            cacheStatus: "hit", httpStatus: 200, promptTokens: 100, completionTokens: 20, cachedTokens: 5, savedUSD: 0.002,
            priced: true, latencyMilliseconds: 3.5, requestBody: body, responseBody: #"{"id":"x"}"#)
        let unpriced = RequestLogRecord(
            timestamp: "2026-01-02T03:04:06.000Z", route: "/v1/embeddings", cacheStatus: "miss", httpStatus: 200, latencyMilliseconds: 9)
        let encoder = JSONEncoder()
        let lines = try [hit, unpriced].map { String(decoding: try encoder.encode($0), as: UTF8.self) }
        let (records, summary) = try Self.read("reprise.jsonl", lines.joined(separator: "\n") + "\n")
        #expect(summary.files.first?.format == .repriseLog)
        try #require(records.count == 2)
        let first = records[0]
        #expect(first.timestamp == Self.at(1_767_323_045, milliseconds: 250))
        #expect(first.model == "gpt-4o-mini")
        #expect(first.route == "/v1/chat/completions")
        #expect(first.key == "ab12cd34ef56ab78")
        #expect(first.usage == TokenUsage(promptTokens: 100, completionTokens: 20, cachedPromptTokens: 5))
        // A hit's cost is what the call costs upstream: cost_usd + saved_usd.
        #expect(first.costUSD == 0.002)
        #expect(first.latency == .milliseconds(3.5))
        #expect(first.request == (try JSONParser.parse(body)))
        #expect(first.promptText == "Opening hours?")
        #expect(first.response == ["id": "x"])
        #expect(first.source == SourceLocation(file: summary.files[0].path, line: 1))
        #expect(records[1].costUSD == nil)
        #expect(records[1].route == "/v1/embeddings")
    }

    @Test func openAIRequestLinesKeepTheBodyWithoutTheLogFields() throws {
        let text = """
            {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"temperature":0,"created":1700000000,"usage":{"prompt_tokens":8,"completion_tokens":2},"cost_usd":0.5,"latency_ms":120}
            {"model":"gpt-3.5-turbo-instruct","prompt":"Say hi","timestamp":"2023-11-14T22:13:20.5Z","response":{"usage":{"prompt_tokens":3,"completion_tokens":1}}}
            {"model":"text-embedding-3-small","input":"hello","ts":1700000000250}
            {"request":{"model":"gpt-4o","messages":[{"role":"user","content":"Wrapped"}]},"response":"{\\"id\\":\\"r\\"}","url":"https://api.openai.com/v1/chat/completions"}
            """
        let (records, summary) = try Self.read("requests.jsonl", text)
        #expect(summary.files.first?.format == .openAIRequests)
        try #require(records.count == 4)
        #expect(records[0].request == ["model": "gpt-4o", "messages": [["role": "user", "content": "Hi"]], "temperature": 0])
        #expect(records[0].timestamp == Self.at(1_700_000_000))
        #expect(records[0].usage == TokenUsage(promptTokens: 8, completionTokens: 2))
        #expect(records[0].costUSD == 0.5)
        #expect(records[0].latency == .milliseconds(120))
        #expect(records[0].route == "/v1/chat/completions")
        #expect(records[1].route == "/v1/completions")
        #expect(records[1].timestamp == Self.at(1_700_000_000, milliseconds: 500))
        #expect(records[1].usage == TokenUsage(promptTokens: 3, completionTokens: 1))
        #expect(records[1].promptText == "Say hi")
        #expect(records[2].route == "/v1/embeddings")
        #expect(records[2].timestamp == Self.at(1_700_000_000, milliseconds: 250))
        #expect(records[3].request?["messages"] != nil)
        #expect(records[3].response == ["id": "r"])
        #expect(records[3].model == "gpt-4o")
    }

    @Test func batchInputLinesTakeTheirRouteFromTheURL() throws {
        let text = #"""
            {"custom_id":"request-1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Classify: spam?"}]}}
            {"custom_id":"request-2","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":"spam"}}
            """#
        let (records, summary) = try Self.read("batch.jsonl", text)
        #expect(summary.files.first?.format == .openAIBatch)
        #expect(records.map(\.route) == ["/v1/chat/completions", "/v1/embeddings"])
        #expect(records.map(\.model) == ["gpt-4o-mini", "text-embedding-3-small"])
        #expect(records[0].promptText == "Classify: spam?")
        #expect(records[0].timestamp == nil)
    }

    @Test func liteLLMExportsMapTimesTokensCostAndTheRequest() throws {
        let text = #"""
            {"request_id":"1","call_type":"acompletion","model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"model_parameters":{"temperature":0.2},"startTime":1700000000.0,"endTime":1700000001.25,"prompt_tokens":9,"completion_tokens":3,"response_cost":0.0004,"response":{"choices":[]}}
            {"request_id":"2","call_type":"aembedding","model":"text-embedding-3-small","messages":"[]","startTime":"2023-11-14T22:13:21Z","endTime":"2023-11-14T22:13:21.5Z","prompt_tokens":4,"completion_tokens":0,"spend":0.00001}
            """#
        let (records, summary) = try Self.read("litellm.jsonl", text)
        #expect(summary.files.first?.format == .gatewayExport)
        try #require(records.count == 2)
        #expect(records[0].request == ["model": "gpt-4o", "messages": [["role": "user", "content": "Hi"]], "temperature": 0.2])
        #expect(records[0].timestamp == Self.at(1_700_000_000))
        #expect(records[0].latency == .milliseconds(1250))
        #expect(records[0].usage == TokenUsage(promptTokens: 9, completionTokens: 3))
        #expect(records[0].costUSD == 0.0004)
        #expect(records[0].route == "/v1/chat/completions")
        #expect(records[0].response == ["choices": []])
        #expect(records[1].route == "/v1/embeddings")
        #expect(records[1].request == nil)
        #expect(records[1].costUSD == 0.00001)
        #expect(records[1].latency == .milliseconds(500))
    }

    @Test func heliconeExportsMapBodiesStoredAsText() throws {
        let text = #"""
            {"request_id":"h1","request_created_at":"2024-01-01 00:00:00.000","response_created_at":"2024-01-01 00:00:02","model":"gpt-4o-mini","prompt_tokens":12,"completion_tokens":5,"cost":0.00002,"latency":1800,"request_path":"https://oai.helicone.ai/v1/chat/completions","request_body":"{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Capital of France?\"}]}","response_body":{"id":"c1"}}
            """#
        let (records, summary) = try Self.read("helicone.jsonl", text)
        #expect(summary.files.first?.format == .gatewayExport)
        let record = try #require(records.first)
        #expect(record.timestamp == Self.at(1_704_067_200))
        #expect(record.latency == .milliseconds(1800))
        #expect(record.route == "/v1/chat/completions")
        #expect(record.promptText == "Capital of France?")
        #expect(record.response == ["id": "c1"])
        #expect(record.costUSD == 0.00002)
        #expect(record.usage == TokenUsage(promptTokens: 12, completionTokens: 5))
    }

    @Test func csvWithAliasedHeadersAndQuotedPrompts() throws {
        let text = "Time,Model,Prompt,Input Tokens,Output Tokens,Cost\r\n"
            + "2024-01-01T00:00:00Z,gpt-4o,\"Hello, \"\"world\"\"\",10,2,0.01\r\n"
            + "1704067260,gpt-4o,\"Line one\r\nline two\",11,3,\r\n"
            + ",,just a prompt,,,\r\n"
        let (records, summary) = try Self.read("usage.csv", text)
        #expect(summary.files.first?.format == .csv)
        #expect(summary.skippedEntries == 0)
        try #require(records.count == 3)
        #expect(records[0].timestamp == Self.at(1_704_067_200))
        #expect(records[0].model == "gpt-4o")
        #expect(records[0].promptText == #"Hello, "world""#)
        #expect(records[0].usage == TokenUsage(promptTokens: 10, completionTokens: 2))
        #expect(records[0].costUSD == 0.01)
        #expect(records[1].promptText == "Line one\nline two")
        #expect(records[1].timestamp == Self.at(1_704_067_260))
        #expect(records[1].costUSD == nil)
        #expect(records[2].source.line == 5)
        #expect(records[2].usage == nil)
        #expect(records[2].model == nil)
    }

    @Test func csvRowsWithBadValuesAreSkippedWithTheirLine() throws {
        let text = "timestamp,model,prompt,prompt_tokens\nnot-a-time,m,p,1\n2024-01-01,m,p,many\n2024-01-01,m,p\n2024-01-01,m,p,4\n"
        let (records, summary) = try Self.read("bad.csv", text)
        #expect(records.count == 1)
        #expect(summary.problems.map(\.location.line) == [2, 3, 4])
        #expect(summary.problems[0].reason.contains("not-a-time"))
        #expect(summary.problems[1].reason.contains("many"))
        #expect(summary.problems[2].reason.contains("3 fields"))
    }

    @Test func tokenTracesGiveTokensTimesAndBlockHashes() throws {
        let azure = #"{"ts": "2023-11-16 18:15:46.6805900", "prompt": null, "model": null, "service": "conv", "input_tokens": 374, "output_tokens": 44}"#
        let (azureRecords, azureSummary) = try Self.read("azure.jsonl", azure + "\n")
        #expect(azureSummary.files.first?.format == .tokenTrace)
        let call = try #require(azureRecords.first)
        #expect(call.timestamp == EpochInstant(sinceEpoch: .seconds(1_700_158_546) + .nanoseconds(680_590_000)))
        #expect(call.usage == TokenUsage(promptTokens: 374, completionTokens: 44))
        #expect(call.promptText == nil && call.request == nil && call.model == nil)

        let mooncake = #"{"timestamp": 1500, "input_length": 1100, "output_length": 7, "hash_ids": [0, 1, 42]}"#
        let (blockRecords, _) = try Self.read("mooncake.jsonl", mooncake + "\n")
        let blocks = try #require(blockRecords.first)
        #expect(blocks.timestamp == EpochInstant(millisecondsSinceEpoch: 1500))
        #expect(blocks.prefixBlockHashes == [0, 1, 42])
        #expect(blocks.prefixBlockTokens == 512)
        #expect(blocks.usage == TokenUsage(promptTokens: 1100, completionTokens: 7))

        let prompts = #"{"ts": null, "prompt": "Write a limerick about caches.", "model": null, "uid": "u1"}"#
        let (promptRecords, _) = try Self.read("prompts.jsonl", prompts + "\n")
        let prompt = try #require(promptRecords.first)
        #expect(prompt.promptText == "Write a limerick about caches.")
        #expect(prompt.timestamp == nil && prompt.usage == nil && prompt.request == nil)
    }

    @Test func aForcedFormatIsUsedWithoutDetection() throws {
        let text = #"{"model":"m","prompt":"p","input_tokens":5}"# + "\n"
        let (detected, detectedSummary) = try Self.read("a.jsonl", text)
        #expect(detectedSummary.files.first?.format == .openAIRequests)
        #expect(detected.first?.usage == nil)
        let (forced, forcedSummary) = try Self.read("a.jsonl", text, format: .tokenTrace)
        #expect(forcedSummary.files.first?.format == .tokenTrace)
        #expect(forced.first?.usage == TokenUsage(promptTokens: 5))
    }
}
