import Hummingbird
import NIOCore
import Reprise

/// Answers a broken or hostile upstream gives, asked for by model name so that clients in other processes
/// (the SDK tests, the soak) can ask for them too:
/// - `usage-<digits>`: every token count in `usage` is that number (`usage-9223372036854775807`), streamed
///   or not;
/// - `error-body`: status 200 with an error object as the body;
/// - `error-429` and `error-503` (like every `error-<status>`) carry `retry-after: 7`.
enum FakeHostility {
    /// The count `model` asks every usage field to report, as a JSON number.
    static func usageCount(model: String) -> JSONValue? {
        guard model.hasPrefix("usage-"), let number = try? JSONParser.parse(String(model.dropFirst(6))), case .number = number else {
            return nil
        }
        return number
    }

    /// `json` with every number inside every `usage` object (at any depth, details included) set to `count`.
    static func overridingUsage(_ json: JSONValue, with count: JSONValue) -> JSONValue {
        switch json {
        case .object(var members):
            for (name, value) in members {
                members[name] = name == "usage" ? settingNumbers(value, to: count) : overridingUsage(value, with: count)
            }
            return .object(members)
        case .array(let elements):
            return .array(elements.map { overridingUsage($0, with: count) })
        default:
            return json
        }
    }

    private static func settingNumbers(_ value: JSONValue, to count: JSONValue) -> JSONValue {
        switch value {
        case .number: count
        case .object(let members): .object(members.mapValues { settingNumbers($0, to: count) })
        default: value
        }
    }

    /// Streamed events in wire form with their usage overridden.
    static func overridingUsage(inEvents events: [String], with count: JSONValue) -> [String] {
        events.map { event in
            event.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("data: "), let json = try? JSONParser.parse(String(line.dropFirst(6))) else { return String(line) }
                return "data: " + overridingUsage(json, with: count).canonicalText
            }.joined(separator: "\n")
        }
    }

    /// The 200 some proxies answer when the model behind them failed.
    static func errorBody() -> Response {
        FakeAnswers.json(["error": ["message": "overloaded", "type": "server_error", "param": nil, "code": nil]])
    }
}
