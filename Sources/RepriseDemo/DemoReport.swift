import Reprise

/// The demo's figures, and how they read in a terminal.
public struct DemoReport: Sendable {
    public let requests: Int
    public let hits: Int
    public let misses: Int
    public let coalesced: Int
    public let streamed: Int
    public let upstreamCalls: Int
    public let savedTokens: Int
    public let savedDollars: Double
    public let model: String
    public let price: ModelPrice?
    /// Median time to the whole answer over every request, through the cache.
    public let medianWithCache: Duration
    /// Median time of the requests that went to the provider: what every request would take without a cache.
    public let medianWithoutCache: Duration
    public let bursts: Int
    public let burstSize: Int

    init(options: DemoRunner.Options, outcomes: [DemoOutcome], upstreamCalls: Int, statistics: JSONValue) {
        requests = outcomes.count
        hits = outcomes.filter { $0.status == "hit" }.count
        misses = outcomes.filter { $0.status == "miss" }.count
        coalesced = outcomes.filter { $0.status == "coalesced" }.count
        streamed = outcomes.filter(\.streamed).count
        self.upstreamCalls = upstreamCalls
        savedTokens = statistics["saved"]?["tokens"]?.intValue ?? 0
        savedDollars = statistics["saved"]?["dollars"]?.doubleValue ?? 0
        model = options.model
        price = PriceTable.builtIn.price(for: options.model)
        medianWithCache = Self.median(outcomes.map(\.latency))
        medianWithoutCache = Self.median(outcomes.filter { $0.status == "miss" }.map(\.latency))
        bursts = options.traffic.burstCount
        burstSize = options.traffic.waves.map(\.requests.count).max() ?? 1
    }

    static func median(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .zero }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Requests answered without a provider call of their own: hits and coalesced followers.
    public var answeredWithoutUpstream: Int { hits + coalesced }

    /// The report as a newcomer reads it in a terminal; bold and colour only when `styled`.
    public func rendered(styled: Bool) -> String {
        let style = TerminalStyle(enabled: styled)
        func percent(_ part: Int) -> String { requests == 0 ? "0%" : String(format1: 100 * Double(part) / Double(requests)) + "%" }
        func row(_ label: String, _ value: String, _ note: String = "") -> String {
            "  " + label.padding(toLength: 30) + style.bold(value.leftPadding(toLength: 10)) + (note.isEmpty ? "" : "   " + style.dim(note))
        }
        let speedup = medianWithCache > .zero ? medianWithoutCache / medianWithCache : 0
        var lines = [
            style.bold("What the cache did"),
            row("Requests", "\(requests)", "\(streamed) streamed, \(bursts) bursts of \(burstSize) identical requests at once"),
            row("Served from the cache", "\(hits)", percent(hits) + " of requests"),
            row("Coalesced", "\(coalesced)", "identical requests in flight that shared one provider call"),
            row("Provider calls", "\(upstreamCalls)", "instead of \(requests) without Reprise"),
            row("Tokens saved", grouped(savedTokens)),
        ]
        if let price {
            lines.append(row("Dollars saved", "$" + String(format4: savedDollars), "at \(model) prices: $\(String(format2: price.input))/M input, $\(String(format2: price.output))/M output (\(PriceTable.builtInDate))"))
        } else {
            lines.append(row("Dollars saved", "unpriced", "\(model) is not in the price table"))
        }
        lines.append(row("Median latency, with cache", Self.milliseconds(medianWithCache)))
        lines.append(row("Median latency, without", Self.milliseconds(medianWithoutCache), "the provider's own answers (the misses)"))
        lines.append("")
        lines.append(style.green("  \(percent(answeredWithoutUpstream)) of requests never reached the provider; the median answer came \(String(format1: speedup))× faster."))
        return lines.joined(separator: "\n")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = duration.millisecondsValue
        return value < 10 ? String(format2: value) + " ms" : "\(Int(value.rounded())) ms"
    }

    private func grouped(_ value: Int) -> String {
        var digits = Array(String(value))
        var index = digits.count - 3
        while index > 0 {
            digits.insert(",", at: index)
            index -= 3
        }
        return String(digits)
    }
}

/// ANSI styling, switched off when standard output is not a terminal.
struct TerminalStyle {
    let enabled: Bool
    func bold(_ text: String) -> String { enabled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { enabled ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func green(_ text: String) -> String { enabled ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
}

extension String {
    init(format1 value: Double) { self = Self.fixed(value, digits: 1) }
    init(format2 value: Double) { self = Self.fixed(value, digits: 2) }
    init(format4 value: Double) { self = Self.fixed(value, digits: 4) }

    private static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if text.contains("e") { return text }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        text = String(parts[0]) + "." + fraction.padding(toLength: digits).replacingSpaces(with: "0")
        return text
    }

    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    func leftPadding(toLength length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }

    fileprivate func replacingSpaces(with character: Character) -> String {
        String(map { $0 == " " ? character : $0 })
    }
}
