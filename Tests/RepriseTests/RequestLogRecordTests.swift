import Foundation
import Reprise
import Testing

@Suite struct RequestLogRecordTests {
    let complete = RequestLogRecord(
        timestamp: "2026-11-26T23:46:15.123Z", route: "/v1/chat/completions", model: "gpt-4o",
        namespace: "0123456789abcdef0123456789abcdef", key: String(repeating: "ab", count: 32), cacheStatus: "hit",
        httpStatus: 200, promptTokens: 120, completionTokens: 30, cachedTokens: 64, costUSD: 0, savedUSD: 0.0006,
        savedTokens: 150, priced: true, stream: true, latencyMilliseconds: 3.5, upstreamLatencyMilliseconds: 812.25,
        similarity: 0.97, reason: "rule 2", requestBody: #"{"model":"gpt-4o"}"#, responseBody: #"{"id":"x"}"#)

    func jsonObject(_ record: RequestLogRecord) throws -> [String: Any] {
        let data = try JSONEncoder().encode(record)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func jsonKeysAreTheSchemaNames() throws {
        let object = try jsonObject(complete)
        #expect(Set(object.keys) == [
            "ts", "route", "model", "namespace", "key", "cache_status", "http_status", "prompt_tokens",
            "completion_tokens", "cached_tokens", "cost_usd", "saved_usd", "saved_tokens", "priced", "stream",
            "latency_ms", "upstream_latency_ms", "similarity", "reason", "request_body", "response_body",
        ])
        #expect(object["ts"] as? String == "2026-11-26T23:46:15.123Z")
        #expect(object["cache_status"] as? String == "hit")
        #expect(object["http_status"] as? Int == 200)
        #expect(object["upstream_latency_ms"] as? Double == 812.25)
    }

    @Test func absentOptionalFieldsAreLeftOut() throws {
        let minimal = RequestLogRecord(
            timestamp: "1970-01-01T00:00:00.000Z", route: "/v1/embeddings", cacheStatus: "miss", httpStatus: 502,
            latencyMilliseconds: 10)
        let object = try jsonObject(minimal)
        for optional in ["model", "namespace", "key", "upstream_latency_ms", "similarity", "reason", "request_body", "response_body"] {
            #expect(object[optional] == nil, "\(optional) should be absent")
        }
        #expect(object["prompt_tokens"] as? Int == 0)
    }

    @Test func recordReadsBackUnchanged() throws {
        let data = try JSONEncoder().encode(complete)
        #expect(try JSONDecoder().decode(RequestLogRecord.self, from: data) == complete)
    }

    @Test func handWrittenLineIsRead() throws {
        let line = #"{"ts":"2026-01-01T00:00:00.000Z","route":"/v1/messages","cache_status":"bypass","http_status":200,"prompt_tokens":5,"completion_tokens":7,"cached_tokens":0,"cost_usd":0.01,"saved_usd":0,"saved_tokens":0,"priced":true,"stream":false,"latency_ms":420,"reason":"personal-data"}"#
        let record = try JSONDecoder().decode(RequestLogRecord.self, from: Data(line.utf8))
        #expect(record.route == "/v1/messages")
        #expect(record.cacheStatus == "bypass")
        #expect(record.completionTokens == 7)
        #expect(record.reason == "personal-data")
        #expect(record.model == nil)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"), (1_709_210_096_789, "2024-02-29T12:34:56.789Z"),
        (951_868_799_999, "2000-02-29T23:59:59.999Z"), (4_107_542_400_000, "2100-03-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"), (1_767_225_600_000, "2026-01-01T00:00:00.000Z"),
        (1_798_761_599_999, "2026-12-31T23:59:59.999Z"),
    ])
    func timestampsAreISO8601InUTCWithMilliseconds(milliseconds: Int64, expected: String) {
        #expect(EpochInstant(millisecondsSinceEpoch: milliseconds).iso8601 == expected)
    }

    @Test func timestampsTruncateToTheMillisecond() {
        let instant = EpochInstant(sinceEpoch: .seconds(1) + .nanoseconds(999_999))
        #expect(instant.iso8601 == "1970-01-01T00:00:01.000Z")
    }
}
