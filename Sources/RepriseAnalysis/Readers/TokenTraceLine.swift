import Reprise

/// A line of a trace without request bodies: token counts (Azure LLM inference traces: `ts`,
/// `input_tokens`, `output_tokens`), block hashes of the prompt (Mooncake traces: `timestamp` in
/// milliseconds, `input_length`, `output_length`, `hash_ids` of 512-token blocks), or a prompt alone
/// (prompt lists: `prompt`, no model).
enum TokenTraceLine: JSONLineMapping {
    /// The prompt block size of traces that give `hash_ids` without `block_size` (Mooncake's).
    static let defaultBlockTokens = 512

    static func matches(_ line: JSONValue) -> Bool {
        if line.firstMember("hash_ids", "input_length", "output_length") != nil { return true }
        // A request body that happens to carry token counts is a request.
        if line["model"]?.stringValue != nil, line.hasPromptFields { return false }
        if line.firstMember("input_tokens", "output_tokens") != nil { return true }
        return line["prompt"]?.stringValue != nil && line["model"]?.stringValue == nil
    }

    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        let hashes = try blockHashes(in: line)
        // Block-hash traces count time in milliseconds from their start.
        let blockTrace = hashes != nil || line["input_length"] != nil
        let timestamp = try line.firstMember("timestamp", "ts", "time", "arrival_time")
            .flatMap { value throws(LineRejection) in try LogTimestamp.instant(from: value, unit: blockTrace ? .milliseconds : .inferred) }
        let input = line.firstInt("input_tokens", "input_length", "prompt_tokens")
        let output = line.firstInt("output_tokens", "output_length", "completion_tokens")
        let usage = input != nil || output != nil ? TokenUsage(promptTokens: input ?? 0, completionTokens: output ?? 0) : nil
        let prompt = line.firstString("prompt")
        guard usage != nil || prompt != nil || hashes != nil else { throw LineRejection("no prompt, token counts or block hashes") }
        return UsageRecord(
            timestamp: timestamp, model: line.firstString("model"), promptText: prompt, usage: usage,
            prefixBlockHashes: hashes, prefixBlockTokens: hashes == nil ? nil : line.firstInt("block_size") ?? defaultBlockTokens,
            source: location)
    }

    private static func blockHashes(in line: JSONValue) throws(LineRejection) -> [Int]? {
        guard let value = line["hash_ids"], value != .null else { return nil }
        guard let elements = value.arrayValue else { throw LineRejection("'hash_ids' must be an array of integers") }
        var hashes: [Int] = []
        hashes.reserveCapacity(elements.count)
        for element in elements {
            guard let hash = element.intValue else { throw LineRejection("'hash_ids' must be an array of integers") }
            hashes.append(hash)
        }
        return hashes
    }
}
