import RepriseAnalysis
import Testing

/// Detecting a log's format from its first lines.
@Suite struct UsageLogFormatTests {
    @Test(arguments: [
        (#"{"ts":"2026-01-02T03:04:05.000Z","route":"/v1/chat/completions","cache_status":"miss","http_status":200,"latency_ms":12}"#, UsageLogFormat.repriseLog),
        (#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"created":1700000000}"#, .openAIRequests),
        (#"{"custom_id":"r1","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o","messages":[]}}"#, .openAIBatch),
        (#"{"model":"gpt-4o","messages":[],"startTime":1700000000.5,"endTime":1700000001.5,"response_cost":0.001}"#, .gatewayExport),
        (#"{"request_created_at":"2024-01-01 00:00:00","model":"gpt-4o","prompt_tokens":3,"completion_tokens":4,"cost":0.1}"#, .gatewayExport),
        (#"{"ts":"2023-11-16 18:15:46.6805900","prompt":null,"model":null,"input_tokens":374,"output_tokens":44}"#, .tokenTrace),
        (#"{"timestamp":0,"input_length":6758,"output_length":500,"hash_ids":[0,1,2]}"#, .tokenTrace),
        (#"{"ts":null,"prompt":"Write a haiku.","model":null,"uid":"abc"}"#, .tokenTrace),
        ("timestamp,model,prompt,prompt_tokens,completion_tokens", .csv),
    ])
    func eachFormatIsDetectedFromItsFirstLine(line: String, format: UsageLogFormat) {
        #expect(UsageLogFormat.detect(lines: [line]) == format)
    }

    @Test func theMostCommonShapeAmongTheFirstLinesWins() {
        let lines = [
            "", "not json",
            #"{"model":"a","messages":[]}"#,
            #"{"custom_id":"1","body":{"model":"a","messages":[]}}"#,
            #"{"custom_id":"2","body":{"model":"a","messages":[]}}"#,
        ]
        #expect(UsageLogFormat.detect(lines: lines) == .openAIBatch)
    }

    @Test func unknownShapesAreNotGuessed() {
        #expect(UsageLogFormat.detect(lines: [#"{"hello":"world"}"#]) == nil)
        #expect(UsageLogFormat.detect(lines: ["name,age", "Ann,3"]) == nil)
        #expect(UsageLogFormat.detect(lines: ["", "  "]) == nil)
    }

    @Test func formatArgumentsAcceptRawValuesAndGatewayNames() {
        #expect(UsageLogFormat(argument: "litellm") == .gatewayExport)
        #expect(UsageLogFormat(argument: "Helicone") == .gatewayExport)
        #expect(UsageLogFormat(argument: "openai-batch") == .openAIBatch)
        #expect(UsageLogFormat(argument: "xml") == nil)
        #expect(UsageLogFormat.allCases.map(\.rawValue) == ["reprise", "openai", "openai-batch", "gateway", "csv", "trace"])
    }
}
