import Reprise

/// Adds Anthropic `cache_control` breakpoints to a Messages request that sets none of its own, so the
/// provider caches its stable prefix: tools and system prompt first, then earlier turns.
///
/// Breakpoints go, at most ``PromptCacheBreakpointSettings/maximumBreakpoints`` of them, where the prefix
/// up to that point reaches the model's minimum cacheable length: one after the system prompt (or the last
/// tool when there is no system prompt), then after the latest earlier turns — never on the last message,
/// which is the new question. A conversation that grows by a turn thus reads the prefix its previous
/// request wrote.
///
/// Token counts are estimated, not measured: about four UTF-8 bytes per token over every key and string
/// of the prefix (base64 `data` left out), plus 1,600 tokens for each image or document, the most an image
/// costs at Anthropic's default resolution. An estimate that is too high costs at worst a 5-minute write
/// the provider declines (a prefix under its minimum is simply not cached).
enum PromptCacheBreakpoints {
    /// The marker added, on the default 5-minute cache.
    static let marker: JSONValue = ["type": "ephemeral"]
    /// Tokens assumed for an image or a document.
    static let mediaTokens = 1600

    private enum Place: Equatable {
        case tool(Int)
        case system
        case message(Int)
    }

    /// `body` with breakpoints added and how many, or `nil` when it needs none: it has `cache_control`
    /// somewhere already, or no stable prefix reaches `minimumTokens`.
    static func adding(to body: JSONValue, minimumTokens: Int) -> (body: JSONValue, count: Int)? {
        guard case .object(var members) = body, !containsMarker(body) else { return nil }
        var places: [(place: Place, tokens: Int)] = []
        var tokens = 0
        let tools = members["tools"]?.arrayValue ?? []
        for tool in tools { tokens += estimatedTokens(tool) }
        if !tools.isEmpty { places.append((.tool(tools.count - 1), tokens)) }
        if let system = members["system"], system.stringValue?.isEmpty == false || system.arrayValue?.isEmpty == false {
            tokens += estimatedTokens(system)
            places.append((.system, tokens))
        }
        let messages = members["messages"]?.arrayValue ?? []
        for (index, message) in messages.dropLast().enumerated() {
            tokens += estimatedTokens(message)
            if markable(message["content"]) { places.append((.message(index), tokens)) }
        }
        let eligible = places.filter { $0.tokens >= minimumTokens }.map(\.place)
        let head = eligible.last { if case .message = $0 { false } else { true } }
        let turns = eligible.filter { if case .message = $0 { true } else { false } }
        let chosen = (head.map { [$0] } ?? []) + turns.suffix(PromptCacheBreakpointSettings.maximumBreakpoints - (head == nil ? 0 : 1))
        guard !chosen.isEmpty else { return nil }
        for place in chosen { mark(place, in: &members) }
        return (.object(members), chosen.count)
    }

    /// Whether `value` has a `cache_control` member at any depth.
    static func containsMarker(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): members[CacheKeyBuilder.providerCacheMarker] != nil || members.values.contains(where: containsMarker)
        case .array(let elements): elements.contains(where: containsMarker)
        default: false
        }
    }

    /// The estimated tokens of `value` (see the type's documentation).
    static func estimatedTokens(_ value: JSONValue) -> Int {
        var bytes = 0
        var media = 0
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text): bytes += text.utf8.count
            case .array(let elements): elements.forEach(walk)
            case .object(let members):
                if let type = members["type"]?.stringValue, type == "image" || type == "document" { media += 1 }
                for (name, member) in members {
                    bytes += name.utf8.count
                    if name == "data", members["type"]?.stringValue == "base64" { continue }
                    walk(member)
                }
            default: bytes += 4
            }
        }
        walk(value)
        return (bytes + 3) / 4 + media * mediaTokens
    }

    /// Blocks that cannot carry a breakpoint: thinking blocks, and empty text.
    private static func canCarryMarker(_ block: JSONValue) -> Bool {
        switch block["type"]?.stringValue {
        case "thinking", "redacted_thinking": false
        case "text": block["text"]?.stringValue?.isEmpty == false
        default: block.objectValue != nil
        }
    }

    private static func markable(_ content: JSONValue?) -> Bool {
        if let text = content?.stringValue { return !text.isEmpty }
        return content?.arrayValue?.contains(where: canCarryMarker) == true
    }

    /// Puts the marker on the last block that can carry it, turning string content into one text block.
    private static func marked(_ content: JSONValue) -> JSONValue {
        if let text = content.stringValue { return [["type": "text", "text": .string(text), "cache_control": marker]] }
        guard var blocks = content.arrayValue, let last = blocks.lastIndex(where: canCarryMarker),
            case .object(var block) = blocks[last]
        else { return content }
        block[CacheKeyBuilder.providerCacheMarker] = marker
        blocks[last] = .object(block)
        return .array(blocks)
    }

    private static func mark(_ place: Place, in members: inout [String: JSONValue]) {
        switch place {
        case .tool(let index):
            guard var tools = members["tools"]?.arrayValue, case .object(var tool) = tools[index] else { return }
            tool[CacheKeyBuilder.providerCacheMarker] = marker
            tools[index] = .object(tool)
            members["tools"] = .array(tools)
        case .system:
            if let system = members["system"] { members["system"] = marked(system) }
        case .message(let index):
            guard var messages = members["messages"]?.arrayValue, case .object(var message) = messages[index],
                let content = message["content"]
            else { return }
            message["content"] = marked(content)
            messages[index] = .object(message)
            members["messages"] = .array(messages)
        }
    }
}
