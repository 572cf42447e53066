import ArgumentParser
import Reprise
import RepriseAnalysis

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Advise cache, fine-tune, both or neither from expected traffic, for a team without logs yet.",
        discussion: "With logs, 'reprise analyze' measures these figures instead of assuming them.")

    @Option(help: "Requests a month.") var monthlyRequests: Double
    @Option(help: "Input tokens per request.") var inputTokens: Double
    @Option(help: "Output tokens per request.") var outputTokens: Double
    @Option(help: "The model called, priced from the built-in table.") var model: String
    @Option(help: "Share of requests that repeat an earlier one, 0 to 1.") var repeatRate: Double
    @Option(help: "Share of requests about the present or with personal data, never cached (0 to 1).") var volatileShare = 0.0
    @Option(help: "Input tokens per request shared by all requests (system prompt, tools, examples).") var sharedPrefixTokens = 0.0
    @Option(help: "Examples in the fine-tuning set.") var trainingExamples = 1000.0
    @Option(help: "Training epochs.") var epochs = 3
    @Option(help: "Training price, dollars per million tokens (default: the list price for fine-tuning --model, else 25).") var trainingPrice: Double?
    @Option(help: "Fine-tuned model's input price per million tokens (default: its list price, else twice the base model's).") var fineTunedInputPrice: Double?
    @Option(help: "Fine-tuned model's output price per million tokens (default: its list price, else twice the base model's).") var fineTunedOutputPrice: Double?
    @Option(help: "One-off cost of building and evaluating the fine-tune, in dollars.") var setupCost = 2000.0
    @Option(help: "A price file merged over the built-in prices.") var prices: String?
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        for (name, share) in [("--repeat-rate", repeatRate), ("--volatile-share", volatileShare)] where !(0...1).contains(share) {
            throw ValidationError("\(name) must be between 0 and 1, got \(share).")
        }
        for (name, value) in [("--monthly-requests", monthlyRequests), ("--input-tokens", inputTokens), ("--output-tokens", outputTokens)] where value < 0 {
            throw ValidationError("\(name) must not be negative, got \(value).")
        }
    }

    func run() throws {
        do {
            let table = try prices.map { PriceTable.builtIn.merging(try PriceTable.load(contentsOf: $0)) } ?? .builtIn
            guard let base = table.price(for: model) else {
                throw CLIError("--model names '\(model)', which has no price; add it with --prices FILE.")
            }
            let list = FineTuningPrice.listPrice(for: model)
            let fineTune = FineTuningCase(
                trainingTokens: trainingExamples * (inputTokens + outputTokens), epochs: epochs,
                trainingPricePerMillion: trainingPrice ?? list?.trainingPerMillion ?? 25,
                inputPricePerMillion: fineTunedInputPrice ?? list?.inputPerMillion ?? base.input * 2,
                outputPricePerMillion: fineTunedOutputPrice ?? list?.outputPerMillion ?? base.output * 2,
                removedInputShare: 0, setupCost: setupCost)
            var scenario = PlanScenario(
                monthlyRequests: monthlyRequests, inputTokensPerRequest: inputTokens, outputTokensPerRequest: outputTokens, model: model,
                repeatRate: repeatRate, fineTuning: fineTune)
            scenario.volatileShare = volatileShare
            scenario.sharedPrefixTokens = sharedPrefixTokens
            let advice = Advice(try scenario.adviceInputs(prices: table))
            print(json ? advice.json.canonicalText : advice.explanation)
        } catch let error as ConfigurationError {
            throw CLIError(error.message)
        }
    }
}
