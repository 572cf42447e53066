
/// Model prices, looked up by the model id a client sends.
///
/// The built-in table (``builtIn``) is dated (``builtInDate``) and derived from a public price list by
/// `scripts/derive-prices.py`; a user file (``load(contentsOf:)``) overrides or adds models.
public struct PriceTable: Sendable {
    /// Prices keyed by lower-cased model id.
    public private(set) var prices: [String: ModelPrice]

    public init(prices: [String: ModelPrice]) {
        self.prices = Dictionary(prices.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The prices that ship with Reprise.
    public static let builtIn = PriceTable(prices: builtInPrices)

    /// The price of `model`, trying in turn the id itself, the id without a `provider/` prefix, the
    /// base model of an OpenAI fine-tune (`ft:gpt-4o-mini:org::id`), and the id without a trailing
    /// date (`gpt-4o-2024-08-06`, `claude-3-5-sonnet-20241022`).
    /// - Returns: `nil` when none is known: the model is unpriced.
    public func price(for model: String) -> ModelPrice? {
        for candidate in Self.candidates(for: model.lowercased()) {
            if let price = prices[candidate] { return price }
        }
        return nil
    }

    /// The cost of `usage` on `model`.
    public func cost(of usage: TokenUsage, model: String) -> Cost {
        guard let price = price(for: model) else { return .unpriced }
        return Cost(dollars: price.dollars(for: usage), isPriced: true)
    }

    /// This table with `overrides` replacing or adding models.
    public func merging(_ overrides: PriceTable) -> PriceTable {
        PriceTable(prices: prices.merging(overrides.prices) { _, override in override })
    }

    private static func candidates(for model: String) -> [String] {
        var result = [model]
        if let slash = model.lastIndex(of: "/") { result.append(String(model[model.index(after: slash)...])) }
        if model.hasPrefix("ft:") {
            let parts = model.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count > 1 { result.append(String(parts[1])) }
        }
        for candidate in result {
            if let undated = withoutDateSuffix(candidate) { result.append(undated) }
        }
        return result
    }

    private static func withoutDateSuffix(_ model: String) -> String? {
        let parts = model.split(separator: "-")
        guard parts.count > 1 else { return nil }
        // `-20241022` or `-2024-08-06`
        if let last = parts.last, last.count == 8, last.allSatisfy(\.isNumber) {
            return parts.dropLast().joined(separator: "-")
        }
        if parts.count > 3, parts.suffix(3).map(\.count) == [4, 2, 2], parts.suffix(3).allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            return parts.dropLast(3).joined(separator: "-")
        }
        return nil
    }
}

extension PriceTable {
    /// Reads a user price file (YAML or JSON), prices in US dollars per million tokens:
    ///
    /// ```yaml
    /// models:
    ///   my-finetune:
    ///     provider: openai
    ///     input: 3.0
    ///     cached_input: 1.5
    ///     output: 12.0
    /// ```
    /// - Throws: ``ConfigurationError`` naming the file and the problem.
    public static func load(contentsOf path: String) throws -> PriceTable {
        let file = try ConfigurationFileReader.decode(
            PriceFile.self, from: ConfigurationFileReader.text(at: path), path: path)
        var prices: [String: ModelPrice] = [:]
        for (model, entry) in file.models {
            let values = [entry.input, entry.output] + [entry.cachedInput, entry.cacheWrite, entry.cacheWriteOneHour].compactMap { $0 }
            guard values.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw ConfigurationError.invalidValue("models.\(model)", in: path, reason: "has a negative price")
            }
            prices[model] = ModelPrice(
                provider: entry.provider ?? "custom", input: entry.input, cachedInput: entry.cachedInput,
                cacheWrite: entry.cacheWrite, cacheWriteOneHour: entry.cacheWriteOneHour, output: entry.output)
        }
        return PriceTable(prices: prices)
    }

    private struct PriceFile: Decodable {
        var models: [String: Entry]

        struct Entry: Decodable {
            var provider: String?
            var input: Double
            var cachedInput: Double?
            var cacheWrite: Double?
            var cacheWriteOneHour: Double?
            var output: Double

            enum CodingKeys: String, CodingKey {
                case provider, input, output
                case cachedInput = "cached_input"
                case cacheWrite = "cache_write"
                case cacheWriteOneHour = "cache_write_one_hour"
            }
        }
    }
}
