import Reprise

/// Reads records one at a time and keeps what the report needs: repetition statistics, the compact
/// requests the cache replay runs on, the provider prompt-cache estimate, volatility, tokens, spend and
/// the time the log covers. Memory grows with distinct prompts and with the compact requests (about 50
/// bytes each), never with the bodies.
public struct UsageAnalyzer: Sendable {
    public let prices: PriceTable
    public let detector: VolatilityDetector?
    /// The model assumed for records that name none (token traces), so they can be priced.
    public var assumedModel: String?

    public private(set) var repetition = RepetitionStatistics()
    public private(set) var volatility = VolatilityTally()
    public private(set) var exactRequests: [SimulatedRequest] = []
    public private(set) var normalizedRequests: [SimulatedRequest] = []
    public private(set) var inputTokens = 0
    public private(set) var outputTokens = 0
    /// Whether some token counts were estimated from text (about four bytes a token).
    public private(set) var tokensEstimated = false
    public private(set) var dollars = 0.0
    public private(set) var unpricedModels: Set<String> = []
    public private(set) var firstTime: Double?
    public private(set) var lastTime: Double?
    /// The models seen, numbered in order of first appearance (``SimulatedRequest/model`` is an index here).
    public private(set) var modelNames: [String] = []
    /// Input and output tokens by model number (an index into ``modelNames``).
    public private(set) var modelTokens: [(input: Int, output: Int)] = []
    /// Whether any record gave the call's latency (else latency savings are unknown, not zero).
    public private(set) var latencyKnown = false
    private var modelNumbers: [String: Int32] = [:]
    /// Distinct prompts sampled for near-duplicate (semantic) analysis; `nil` when it is not asked for.
    public var nearDuplicates: NearDuplicateSample?
    /// Requests and exact repeats per hour of the log, by hours since the epoch (logs with times only).
    public private(set) var hourly: [Int: UsageTimeline.Bucket] = [:]
    /// Prices already looked up, by model name: a log names few models, and the lookup tries fallbacks.
    private var pricesByModel: [String: ModelPrice?] = [:]
    private var prefixRequests: [(time: Double, model: String, prefixes: PromptPrefixes)] = []
    private var order = 0

    public init(prices: PriceTable = .builtIn, detector: VolatilityDetector? = try? VolatilityDetector()) {
        self.prices = prices
        self.detector = detector
    }

    /// Takes the next record.
    public mutating func add(_ record: UsageRecord) {
        var record = record
        if record.model == nil { record.model = assumedModel }
        order += 1
        let usage = tokens(of: record)
        inputTokens += usage.promptTokens
        outputTokens += usage.completionTokens
        let model = record.model ?? "unknown"
        let cost: Double
        if let logged = record.costUSD {
            cost = logged
        } else if let price = price(for: model) {
            cost = price.dollars(for: usage)
        } else {
            cost = 0
            if unpricedModels.count < 100 { unpricedModels.insert(model) }
        }
        dollars += cost
        let exactDigest = PromptFingerprint.exact(record)
        let normalizedDigest = PromptFingerprint.normalized(record) ?? exactDigest
        let repeated = repetition.add(record, exact: exactDigest, normalized: normalizedDigest, dollars: cost, tokens: usage.totalTokens)
        let modelNumber = number(ofModel: model)
        modelTokens[Int(modelNumber)].input += usage.promptTokens
        modelTokens[Int(modelNumber)].output += usage.completionTokens
        if record.latency != nil { latencyKnown = true }
        // Logs without times replay in file order, one second apart.
        let time = record.timestamp?.secondsSinceEpoch ?? Double(order)
        if record.timestamp != nil {
            firstTime = min(firstTime ?? time, time)
            lastTime = max(lastTime ?? time, time)
            hourly[Int((time / 3600).rounded(.down)), default: UsageTimeline.Bucket()].count(repeated: repeated, dollars: cost)
        }
        if nearDuplicates != nil, let exactDigest {
            nearDuplicates?.offer(digest: exactDigest, record: record, time: time, order: order, dollars: cost)
        }
        var bypass = false
        if let detector, let prompt = record.prompt {
            if let finding = detector.finding(in: prompt) {
                volatility.count(finding, prompt: record.shownPrompt ?? prompt.all)
                bypass = true
            }
        }
        let size = record.response?.canonicalBytes.count ?? max(64, usage.completionTokens * 4)
        let latency = record.latency.map(\.secondsValue) ?? 0
        if let digest = exactDigest {
            exactRequests.append(SimulatedRequest(key: digest, time: time, tokens: usage.totalTokens, dollars: cost, latency: latency, size: size, bypass: bypass, model: modelNumber))
        }
        if let digest = normalizedDigest {
            normalizedRequests.append(SimulatedRequest(key: digest, time: time, tokens: usage.totalTokens, dollars: cost, latency: latency, size: size, bypass: bypass, model: modelNumber))
        }
        if let prefixes = PromptPrefixes(record) {
            prefixRequests.append((time, model, prefixes))
        }
    }

    private mutating func number(ofModel model: String) -> Int32 {
        if let number = modelNumbers[model] { return number }
        let number = Int32(modelNames.count)
        modelNames.append(model)
        modelTokens.append((0, 0))
        modelNumbers[model] = number
        return number
    }

    private mutating func price(for model: String) -> ModelPrice? {
        if let known = pricesByModel[model] { return known }
        let price = prices.price(for: model)
        if pricesByModel.count < 10_000 { pricesByModel[model] = price }
        return price
    }

    /// The record's tokens: from the log, or estimated from its text.
    private mutating func tokens(of record: UsageRecord) -> TokenUsage {
        if let usage = record.usage { return usage }
        tokensEstimated = true
        let prompt = max(1, (record.promptText?.utf8.count ?? 0) / 4)
        let answer = record.response.map { PromptText(body: ["messages": .array(($0["choices"]?.arrayValue ?? []).compactMap { $0["message"] })]).all } ?? ""
        return TokenUsage(promptTokens: prompt, completionTokens: answer.utf8.count / 4)
    }

    /// The provider prompt-cache estimate over the whole log, replayed in time order.
    public func providerCacheEstimate() -> ProviderCacheEstimate {
        var estimate = ProviderCacheEstimate(prices: prices)
        let inOrder = zip(prefixRequests, prefixRequests.dropFirst()).allSatisfy { $0.time <= $1.time }
        for request in inOrder ? prefixRequests : prefixRequests.sorted(by: { $0.time < $1.time }) {
            estimate.add(request.prefixes, model: request.model, time: request.time)
        }
        return estimate
    }

    /// The prompt prefixes (system prompts, few-shot examples) that many requests repeat, which
    /// fine-tuning could remove.
    public func repeatedInstructions() -> RepeatedInstructions {
        var instructions = RepeatedInstructions()
        for request in prefixRequests { instructions.add(request.prefixes) }
        return instructions
    }

    /// How many days the log's timestamps span; `nil` without timestamps.
    public var spanDays: Double? {
        guard let firstTime, let lastTime else { return nil }
        return (lastTime - firstTime) / 86_400
    }
}
