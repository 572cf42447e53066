import Reprise

/// Everything `reprise analyze` found, ready to render as text, JSON, Markdown or HTML.
///
/// The JSON form (``json``) is the stable schema (`schema_version` 1): fields are added, never renamed or
/// removed, within a version.
public struct AnalysisReport: Sendable {
    public var requests: Int
    public var period: (start: EpochInstant, end: EpochInstant)?
    public var inputTokens: Int
    public var outputTokens: Int
    public var tokensEstimated: Bool
    public var dollars: Double
    public var unpricedModels: [String]
    public var repetition: RepetitionStatistics
    public var volatility: VolatilityTally
    public var exactOutcomes: [PolicyOutcome]
    /// Whether the log gives latencies; without them, latency saved is unknown rather than zero.
    public var latencyKnown: Bool
    public var normalizedOutcomes: [PolicyOutcome]
    public var recommendation: TimeToLiveRecommendation
    public var providerCache: [String: ProviderCacheEstimate.ModelEstimate]
    /// How many times the log's period fits in a 30-day month; 1 (and ``monthlyAssumed``) when the log has
    /// no timestamps or spans less than ``minimumMeasuredSpan`` (too short to say what a month holds).
    public var monthlyFactor: Double
    public var monthlyAssumed: Bool
    /// Cache, fine-tune, both or neither, on the monthly figures.
    public var advice: Advice
    /// What the fine-tuning case assumed.
    public var fineTuningAssumptions: FineTuningAssumptions
    /// The model the fine-tuning case is priced for: the one the log spends most on.
    public var mainModel: String?
    /// The fine-tuning prices used, and where they came from.
    public var fineTuningPrices: FineTuningAssumptions.ResolvedPrices
    /// System prompts and examples that many requests repeat, which fine-tuning could remove.
    public var repeatedInstructions: RepeatedInstructions
    /// Near-duplicates a semantic cache would add, on a sample of the prompts; `nil` unless asked for
    /// (`reprise analyze --semantic`).
    public var nearDuplicates: NearDuplicateReport?
    /// Volume and repeats over the log's period (empty without timestamps).
    public var timeline: UsageTimeline
    /// Dollars the response cache would save per model at the recommended TTL (or 24 hours when none
    /// is recommended), most first.
    public var savingsByModel: [(model: String, dollars: Double, savedDollars: Double)]

    /// The shortest period a log must span for its figures to be scaled to a month: 10 minutes. A public
    /// trace of an hour's traffic is a fair sample of a busy service's month; a few minutes are not.
    public static let minimumMeasuredSpan: Duration = .seconds(600)

    /// Builds the report from an analyzer that has read the whole log.
    public init(_ analyzer: UsageAnalyzer, fineTuning assumptions: FineTuningAssumptions = FineTuningAssumptions()) {
        requests = analyzer.repetition.total.requests
        if let first = analyzer.firstTime, let last = analyzer.lastTime {
            period = (EpochInstant(sinceEpoch: .milliseconds(Int64(first * 1000))), EpochInstant(sinceEpoch: .milliseconds(Int64(last * 1000))))
        }
        inputTokens = analyzer.inputTokens
        outputTokens = analyzer.outputTokens
        tokensEstimated = analyzer.tokensEstimated
        dollars = analyzer.dollars
        unpricedModels = analyzer.unpricedModels.sorted()
        repetition = analyzer.repetition
        volatility = analyzer.volatility
        let policies = SimulatedPolicy.timeToLiveSweep + [.unlimited] + SimulatedPolicy.capacitySweep
        exactOutcomes = CacheSimulation.run(analyzer.exactRequests, policies: policies)
        normalizedOutcomes = CacheSimulation.run(analyzer.normalizedRequests, policies: SimulatedPolicy.timeToLiveSweep + [.unlimited])
        recommendation = TimeToLiveRecommendation(outcomes: exactOutcomes)
        providerCache = analyzer.providerCacheEstimate().models
        fineTuningAssumptions = assumptions
        latencyKnown = analyzer.latencyKnown
        timeline = UsageTimeline(hourly: analyzer.hourly)
        repeatedInstructions = analyzer.repeatedInstructions()
        let byModel = analyzer.repetition.byModel
        let main = Self.mainModel(of: analyzer)
        mainModel = main
        let allTokens = analyzer.inputTokens + analyzer.outputTokens
        let perMillion = allTokens == 0 ? 0 : analyzer.dollars / Double(allTokens) * 1_000_000
        fineTuningPrices = assumptions.prices(for: main, currentPerMillion: perMillion)
        let savingPolicy = SimulatedPolicy.timeToLive(recommendation.timeToLive ?? .seconds(86_400))
        let saved = CacheSimulation.savedDollarsByModel(analyzer.exactRequests, policy: savingPolicy)
        savingsByModel = analyzer.modelNames.enumerated().map { number, model in
            (model, byModel[model]?.dollars ?? 0, saved[Int32(number)] ?? 0)
        }.sorted { ($0.savedDollars, $0.dollars) > ($1.savedDollars, $1.dollars) }
        if let days = analyzer.spanDays, days * 86_400 >= Double(Self.minimumMeasuredSpan.components.seconds) {
            monthlyFactor = 30 / days
            monthlyAssumed = false
        } else {
            monthlyFactor = 1
            monthlyAssumed = true
        }
        advice = Advice(Self.adviceInputs(analyzer, outcomes: exactOutcomes, recommendation: recommendation,
            providerCache: providerCache, factor: monthlyFactor, assumptions: assumptions, prices: fineTuningPrices,
            removedInputShare: repeatedInstructions.share))
    }

    /// The model the log spends most on (ties: the most requests, then the name).
    static func mainModel(of analyzer: UsageAnalyzer) -> String? {
        analyzer.repetition.byModel.max { ($0.value.dollars, $0.value.requests, $1.key) < ($1.value.dollars, $1.value.requests, $0.key) }?.key
    }

    private static func adviceInputs(
        _ analyzer: UsageAnalyzer, outcomes: [PolicyOutcome], recommendation: TimeToLiveRecommendation,
        providerCache: [String: ProviderCacheEstimate.ModelEstimate], factor: Double, assumptions: FineTuningAssumptions,
        prices: FineTuningAssumptions.ResolvedPrices, removedInputShare: Double
    ) -> AdviceInputs {
        let ttl = recommendation.timeToLive ?? .seconds(86_400)
        let cached = outcomes.first { $0.policy == .timeToLive(ttl) } ?? PolicyOutcome(policy: .timeToLive(ttl))
        let savedShare = analyzer.dollars > 0 ? cached.savedDollars / analyzer.dollars : cached.hitRate
        let requests = max(1, analyzer.repetition.total.requests)
        let examples = Double(min(assumptions.maximumExamples, max(1, analyzer.repetition.total.uniqueExact)))
        let tokensPerRequest = Double(analyzer.inputTokens + analyzer.outputTokens) / Double(requests)
        let fine = FineTuningCase(
            trainingTokens: examples * tokensPerRequest, epochs: assumptions.epochs,
            trainingPricePerMillion: prices.trainingPerMillion,
            inputPricePerMillion: prices.inputPerMillion, outputPricePerMillion: prices.outputPerMillion,
            removedInputShare: removedInputShare, setupCost: assumptions.setupCost)
        // With several models, fine-tuning takes over the main one's traffic, not the cheaper models'.
        var scope: FineTuningScope?
        if analyzer.modelNames.count > 1, let main = Self.mainModel(of: analyzer), let number = analyzer.modelNames.firstIndex(of: main) {
            let tokens = analyzer.modelTokens[number]
            scope = FineTuningScope(
                model: main, monthlySpend: (analyzer.repetition.byModel[main]?.dollars ?? 0) * factor,
                monthlyInputTokens: Double(tokens.input) * factor, monthlyOutputTokens: Double(tokens.output) * factor)
        }
        let total = analyzer.repetition.total
        return AdviceInputs(
            monthlySpend: analyzer.dollars * factor, monthlyInputTokens: Double(analyzer.inputTokens) * factor,
            monthlyOutputTokens: Double(analyzer.outputTokens) * factor, cacheHitRate: cached.hitRate, cacheSavedShare: savedShare,
            providerCacheMonthlySavings: providerCache.values.map(\.savedDollars).reduce(0, +) * factor, fineTuning: fine,
            measuredRepeatShare: max(total.exactRepeatRate, total.normalizedRepeatRate), fineTuningScope: scope)
    }

    /// The report in its stable JSON schema.
    public var json: JSONValue {
        func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        func number(_ value: Double) -> JSONValue { .number(JSONNumber((value * 1e9).rounded() / 1e9)) }
        func tally(_ tally: RepetitionStatistics.Tally) -> JSONValue {
            [
                "requests": number(tally.requests), "with_content": number(tally.withContent),
                "unique_exact": number(tally.uniqueExact), "exact_repeat_rate": number(tally.exactRepeatRate),
                "normalized_repeat_rate": number(tally.normalizedRepeatRate), "dollars": number(tally.dollars),
            ]
        }
        func outcome(_ outcome: PolicyOutcome) -> JSONValue {
            [
                "policy": .string(outcome.policy.description), "requests": number(outcome.requests), "hits": number(outcome.hits),
                "hit_rate": number(outcome.hitRate), "saved_tokens": number(outcome.savedTokens),
                "saved_dollars": number(outcome.savedDollars), "saved_latency_seconds": number(outcome.savedLatency),
            ]
        }
        var body: [String: JSONValue] = [
            "schema_version": 1,
            "requests": number(requests),
            "tokens": ["input": number(inputTokens), "output": number(outputTokens), "estimated": .bool(tokensEstimated)],
            "spend": ["dollars": number(dollars), "unpriced_models": .array(unpricedModels.map(JSONValue.string)), "prices_as_of": .string(PriceTable.builtInDate)],
            "repetition": tally(repetition.total),
            "by_model": .object(repetition.byModel.mapValues(tally)),
            "by_route": .object(repetition.byRoute.mapValues(tally)),
            "top_repeated": .array(repetition.topRepeatedPrompts().map { prompt in
                ["text": .string(prompt.text), "model": prompt.model.map(JSONValue.string) ?? nil, "count": number(prompt.count), "dollars": number(prompt.dollars)]
            }),
            "top_clusters": .array(repetition.topRepeatedClusters().map { prompt in
                ["text": .string(prompt.text), "model": prompt.model.map(JSONValue.string) ?? nil, "count": number(prompt.count), "dollars": number(prompt.dollars)]
            }),
            "volatility": [
                "time_sensitive": number(volatility.timeSensitive), "personal_data": number(volatility.personalData),
                "share": number(requests == 0 ? 0 : Double(volatility.timeSensitive + volatility.personalData) / Double(requests)),
                "examples": .array(volatility.examples.map { ["kind": .string($0.kind), "found": .string($0.found), "prompt": .string($0.prompt)] }),
            ],
            "simulation": [
                "exact": .array(exactOutcomes.map(outcome)), "normalized": .array(normalizedOutcomes.map(outcome)),
                "latency_known": .bool(latencyKnown),
            ],
            "recommendation": [
                "ttl_seconds": recommendation.timeToLive.map { number(Int($0.components.seconds)) } ?? nil,
                "captured_share": number(recommendation.capturedShare),
                "default_5_minutes_share": number(recommendation.defaultCapturedShare),
                "measure": .string(recommendation.measure),
            ],
            "provider_cache": .object(providerCache.mapValues { estimate in
                [
                    "requests": number(estimate.requests), "input_tokens": number(estimate.inputTokens),
                    "cached_tokens": number(estimate.cachedTokens), "written_tokens": number(estimate.writtenTokens),
                    "saved_dollars": number(estimate.savedDollars), "estimated": .bool(estimate.estimated),
                ]
            }),
        ]
        if let period {
            body["period"] = ["start": .string(period.start.iso8601), "end": .string(period.end.iso8601)]
        }
        body["monthly"] = ["factor": number(monthlyFactor), "assumed": .bool(monthlyAssumed)]
        if let nearDuplicates {
            body["semantic"] = [
                "threshold": number(nearDuplicates.threshold),
                "guards": .array(nearDuplicates.guards.map(\.rawValue).sorted().map(JSONValue.string)),
                "sampled_prompts": number(nearDuplicates.sampledPrompts),
                "sampled_requests": number(nearDuplicates.sampledRequests),
                "comparable_requests": number(nearDuplicates.comparableRequests),
                "near_duplicate_prompts": number(nearDuplicates.nearDuplicatePrompts),
                "vetoed_by_guards": number(nearDuplicates.vetoedByGuards),
                "exact_repeat_rate": number(nearDuplicates.exactRepeatRate),
                "near_duplicate_rate": number(nearDuplicates.nearDuplicateRate),
                "identical_or_similar_rate": number(nearDuplicates.identicalOrSimilarRate),
                "near_duplicate_dollars": number(nearDuplicates.nearDuplicateDollars),
                "examples": .array(nearDuplicates.examples.map { example in
                    ["prompt": .string(example.prompt), "matched": .string(example.matched), "similarity": number(example.similarity)]
                }),
            ]
        }
        body["savings_by_model"] = .array(savingsByModel.map { entry in
            ["model": .string(entry.model), "dollars": number(entry.dollars), "saved_dollars": number(entry.savedDollars)]
        })
        body["timeline"] = [
            "bucket_seconds": number(timeline.bucketSeconds),
            "buckets": .array(timeline.buckets.map { bucket in
                ["start": .string(bucket.start.iso8601), "requests": number(bucket.counts.requests),
                 "repeats": number(bucket.counts.repeats), "dollars": number(bucket.counts.dollars)]
            }),
        ]
        body["fine_tuning"] = [
            "model": mainModel.map(JSONValue.string) ?? nil,
            "training_price_per_million": number(fineTuningPrices.trainingPerMillion),
            "input_price_per_million": number(fineTuningPrices.inputPerMillion),
            "output_price_per_million": number(fineTuningPrices.outputPerMillion),
            "prices_source": .string(fineTuningPrices.source),
            "epochs": number(fineTuningAssumptions.epochs),
            "setup_cost": number(fineTuningAssumptions.setupCost),
            "repeated_instruction_tokens": number(repeatedInstructions.repeatedTokens),
            "removable_input_share": number(repeatedInstructions.share),
        ]
        body["advice"] = advice.json
        return .object(body)
    }
}
