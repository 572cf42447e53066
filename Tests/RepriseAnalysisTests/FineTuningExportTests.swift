import Reprise
import RepriseAnalysis
import Testing

@Suite struct FineTuningExportTests {
    static func record(_ request: String, response: String?, model: String = "gpt-4o-mini", route: String = "/v1/chat/completions", line: Int = 1) throws -> UsageRecord {
        UsageRecord(
            model: model, route: route, request: try JSONParser.parse(request), response: try response.map { try JSONParser.parse($0) },
            source: SourceLocation(file: "log.jsonl", line: line))
    }

    static func chat(_ question: String, answer: String = "Sure.", line: Int = 1, model: String = "gpt-4o-mini") throws -> UsageRecord {
        try record(
            #"{"model":"\#(model)","temperature":0,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"\#(question)"}]}"#,
            response: #"{"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"\#(answer)","refusal":null}}]}"#,
            model: model, line: line)
    }

    @Test func aChatCallBecomesItsMessagesAndTheAnswer() throws {
        let example = try FineTuningExample.make(from: Self.chat("Opening hours?", answer: "9 to 5.")).get()
        #expect(example.jsonLine == #"{"messages":[{"content":"Be brief.","role":"system"},{"content":"Opening hours?","role":"user"},{"content":"9 to 5.","role":"assistant"}]}"#)
    }

    @Test func toolCallsAndToolsAreKept() throws {
        let record = try Self.record(
            #"{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"weather","parameters":{}}}],"messages":[{"role":"user","content":"Weather in Oslo?"}]}"#,
            response: #"{"choices":[{"finish_reason":"tool_calls","message":{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}}]}}]}"#)
        let example = try FineTuningExample.make(from: record).get()
        #expect(example.tools?.count == 1)
        #expect(example.messages.last?["tool_calls"]?.arrayValue?.first?["function"]?["name"]?.stringValue == "weather")
        #expect(example.messages.last?["content"] == nil)
    }

    @Test func completionsResponsesAnthropicAndPlainAnswersAreRead() throws {
        let completion = try Self.record(#"{"model":"m","prompt":"Say hi"}"#, response: #"{"choices":[{"text":"hi","finish_reason":"stop"}]}"#, route: "/v1/completions")
        #expect(try FineTuningExample.make(from: completion).get().messages == [["role": "user", "content": "Say hi"], ["role": "assistant", "content": "hi"]])
        let responses = try Self.record(
            #"{"model":"m","instructions":"Be kind.","input":"Hello"}"#,
            response: #"{"status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"Hi there"}]}]}"#, route: "/v1/responses")
        #expect(try FineTuningExample.make(from: responses).get().messages == [["role": "system", "content": "Be kind."], ["role": "user", "content": "Hello"], ["role": "assistant", "content": "Hi there"]])
        let anthropic = try Self.record(
            #"{"model":"claude","system":"Be kind.","messages":[{"role":"user","content":"Hello"}]}"#,
            response: #"{"type":"message","stop_reason":"end_turn","content":[{"type":"text","text":"Hi"}]}"#, route: "/v1/messages")
        #expect(try FineTuningExample.make(from: anthropic).get().messages.last == ["role": "assistant", "content": "Hi"])
        let plain = UsageRecord(promptText: "What is 2+2?", response: .string("4"), source: SourceLocation(file: "f.csv", line: 2))
        #expect(try FineTuningExample.make(from: plain).get().messages == [["role": "user", "content": "What is 2+2?"], ["role": "assistant", "content": "4"]])
    }

    @Test func callsWithoutAUsableAnswerAreRejectedWithTheReason() throws {
        #expect(FineTuningExample.make(from: try Self.record(#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#, response: nil)) == .failure(.noAnswer))
        let cut = try Self.record(#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#, response: #"{"choices":[{"finish_reason":"length","message":{"role":"assistant","content":"Once upon"}}]}"#)
        #expect(FineTuningExample.make(from: cut) == .failure(.truncated))
        let embedding = try Self.record(#"{"model":"e","input":"x"}"#, response: #"{"data":[]}"#, route: "/v1/embeddings")
        #expect(FineTuningExample.make(from: embedding) == .failure(.unsupportedRoute))
    }

    @Test func duplicatesAndPersonalDataAreLeftOutAndTheSplitIsStable() throws {
        var export = FineTuningExport()
        export.validationShare = 0.5
        var placements: [FineTuningExport.Placement] = []
        for index in 0..<40 { placements.append(export.place(try Self.chat("Question \(index)?", line: index + 1))) }
        placements.append(export.place(try Self.chat("Question 3?", answer: "A different answer", line: 41)))
        placements.append(export.place(try Self.chat("Mail me at sam@example.com", line: 42)))
        #expect(placements[40] == .skipped(.duplicate))
        #expect(placements[41] == .skipped(.personalData))
        let training = placements.filter { if case .training = $0 { true } else { false } }.count
        let validation = placements.filter { if case .validation = $0 { true } else { false } }.count
        #expect(training + validation == 40)
        #expect(validation > 5 && training > 5)
        // A second run over the same calls puts every example on the same side.
        var again = FineTuningExport()
        again.validationShare = 0.5
        for index in 0..<40 { #expect(again.place(try Self.chat("Question \(index)?", line: index + 1)) == placements[index]) }
    }

    @Test func filtersByModelRouteRepeatsAndLimit() throws {
        var export = FineTuningExport()
        export.validationShare = 0
        export.model = Glob("gpt-4o*")
        export.minimumRepeats = 2
        export.maximumExamples = 1
        let calls = [try Self.chat("Refund?"), try Self.chat("refund"), try Self.chat("Once only"), try Self.chat("Hours?", model: "claude-3"), try Self.chat("Hours?", model: "claude-3"), try Self.chat("Refund?!", answer: "x")]
        for call in calls { export.countRepeat(of: call) }
        let placements = try calls.map { export.place($0) } + [export.place(try Self.chat("Refund", answer: "y"))]
        #expect(placements[0] == .training(try FineTuningExample.make(from: calls[0]).get()))
        #expect(placements[1] == .skipped(.limitReached))
        #expect(placements[2] == .skipped(.filtered))
        #expect(placements[3] == .skipped(.filtered))
        var routed = FineTuningExport()
        routed.route = "/v1/completions"
        #expect(routed.place(calls[0]) == .skipped(.filtered))
    }
}
