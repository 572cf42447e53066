import Foundation
import Reprise
import Testing

@Suite struct PriceTableTests {
    let table = PriceTable.builtIn

    @Test func builtInTableKnowsGPT4o() throws {
        let price = try #require(table.price(for: "gpt-4o"))
        #expect(price == ModelPrice(provider: "openai", input: 2.5, cachedInput: 1.25, output: 10))
        #expect(PriceTable.builtInDate.count == 10)
    }

    @Test(arguments: [
        ("gpt-4o-2031-05-13", "gpt-4o"), ("claude-sonnet-4-5-20301231", "claude-sonnet-4-5"),
        ("openai/gpt-4o", "gpt-4o"), ("OpenAI/GPT-4o", "gpt-4o"), ("openrouter/openai/gpt-4o-mini", "gpt-4o-mini"),
        ("ft:gpt-4o-mini:org::x", "gpt-4o-mini"), ("ft:gpt-4o-mini-2024-07-18:acme:support:9ab3", "gpt-4o-mini-2024-07-18"),
        ("ft:gpt-4o-2031-01-01:acme::1", "gpt-4o"), ("openai/gpt-4o-2031-05-13", "gpt-4o"),
    ])
    func derivedModelIdsFindTheirBaseModel(model: String, base: String) throws {
        let expected = try #require(table.price(for: base))
        #expect(table.price(for: model) == expected)
    }

    @Test func datedIdInTheTableUsesItsOwnPrice() {
        #expect(table.price(for: "gpt-4o-2024-08-06") == table.prices["gpt-4o-2024-08-06"])
        #expect(table.price(for: "gpt-4o-2024-08-06") != nil)
    }

    @Test(arguments: ["totally-unknown-model", "", "gpt-99", "ft:", "openai/"])
    func unknownModelIsUnpriced(_ model: String) {
        #expect(table.price(for: model) == nil)
        #expect(table.cost(of: TokenUsage(promptTokens: 1000, completionTokens: 1000), model: model) == .unpriced)
        #expect(!Cost.unpriced.isPriced)
    }

    @Test func costCountsCachedTokensAtTheCachedPrice() {
        let usage = TokenUsage(promptTokens: 1_000_000, completionTokens: 200_000, cachedPromptTokens: 400_000)
        let cost = table.cost(of: usage, model: "gpt-4o")
        // 600k uncached × $2.50/M + 400k cached × $1.25/M + 200k output × $10/M
        #expect(cost.isPriced)
        #expect(abs(cost.dollars - 4.0) < 1e-9)
    }

    @Test func cachedTokensWithoutACachedPriceCostTheInputPrice() {
        let price = ModelPrice(provider: "custom", input: 2, output: 4)
        let usage = TokenUsage(promptTokens: 500_000, completionTokens: 250_000, cachedPromptTokens: 100_000)
        #expect(abs(price.dollars(for: usage) - 2.0) < 1e-9)
    }

    @Test func cachedTokensBeyondThePromptAreNotBilledTwice() {
        let price = ModelPrice(provider: "custom", input: 2, cachedInput: 1, output: 4)
        let usage = TokenUsage(promptTokens: 1_000_000, completionTokens: 0, cachedPromptTokens: 5_000_000)
        #expect(abs(price.dollars(for: usage) - 1.0) < 1e-9)
    }

    // MARK: - User price files

    /// A new file holding `text` in a fresh temporary directory.
    func writeFile(_ text: String, named name: String = "prices.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-prices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func userFileOverridesAndAddsModels() throws {
        let path = try writeFile("""
            models:
              gpt-4o:
                provider: openai
                input: 5
                output: 20
              My-Finetune:
                input: 3.0
                cached_input: 1.5
                cache_write: 3.75
                output: 12.0
            """)
        let merged = table.merging(try PriceTable.load(contentsOf: path))
        #expect(merged.price(for: "gpt-4o") == ModelPrice(provider: "openai", input: 5, output: 20))
        #expect(merged.price(for: "openai/gpt-4o-2031-01-01")?.input == 5)
        #expect(merged.price(for: "my-finetune") == ModelPrice(provider: "custom", input: 3, cachedInput: 1.5, cacheWrite: 3.75, output: 12))
        #expect(merged.price(for: "gpt-4o-mini") == table.price(for: "gpt-4o-mini"))
        #expect(merged.prices.count == table.prices.count + 1)
    }

    @Test func userFileMayBeJSON() throws {
        let path = try writeFile(#"{"models": {"local-llama": {"provider": "self-hosted", "input": 0, "output": 0}}}"#, named: "prices.json")
        let loaded = try PriceTable.load(contentsOf: path)
        #expect(loaded.price(for: "local-llama") == ModelPrice(provider: "self-hosted", input: 0, output: 0))
        #expect(loaded.cost(of: TokenUsage(promptTokens: 10), model: "local-llama") == Cost(dollars: 0, isPriced: true))
    }

    @Test(arguments: [
        ("negative price", "models:\n  cheap:\n    input: -1\n    output: 2\n", "models.cheap"),
        ("missing output", "models:\n  half:\n    input: 1\n", "output"),
        ("not YAML", "models: [unclosed\n  - {: :\n", "YAML"),
        ("wrong shape", "models: 5\n", "models"),
        ("price as text", "models:\n  x:\n    input: cheap\n    output: 1\n", "input"),
    ])
    func badUserFileIsAConfigurationErrorNamingTheFile(problem: String, text: String, detail: String) throws {
        let path = try writeFile(text)
        let error = #expect(throws: ConfigurationError.self, "\(problem)") { try PriceTable.load(contentsOf: path) }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains(detail) == true, "\(problem): \(error?.message ?? "")")
    }

    @Test func missingUserFileIsAConfigurationErrorNamingTheFile() {
        let path = "/nonexistent-\(UUID().uuidString)/prices.yaml"
        let error = #expect(throws: ConfigurationError.self) { try PriceTable.load(contentsOf: path) }
        #expect(error?.message.contains(path) == true)
    }
}
