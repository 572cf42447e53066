import Reprise

/// The headings, figures and sentences every rendering of an ``AnalysisReport`` shares, so the terminal
/// summary, the Markdown and the HTML say the same things in the same words.
///
/// Every string here is plain text: each renderer escapes it for its own format.
struct ReportWording {
    let report: AnalysisReport

    init(_ report: AnalysisReport) {
        self.report = report
    }

    // MARK: Headings

    static let usageHeading = "Usage"
    static let repetitionHeading = "Repetition"
    static let replayHeading = "Replay through the response cache (exact matches, volatile prompts excluded)"
    static let capacityHeading = "Replay by cache size"
    static let providerCacheHeading = "Provider prompt caching (shared prefixes of 1,024+ tokens within 5 minutes)"
    static let volatilityHeading = "Kept out of the cache"
    static let topPromptsHeading = "Most repeated prompts"
    static let nearDuplicatesHeading = "Near-duplicates (semantic matching, on a sample)"

    /// What semantic matching would add, in one paragraph; `nil` when it was not run.
    var nearDuplicates: String? {
        guard let near = report.nearDuplicates else { return nil }
        let guards = near.guards.isEmpty ? "no guards" : "guards on (" + near.guards.map(\.rawValue).sorted().joined(separator: ", ") + ")"
        return "Of \(Self.count(near.sampledPrompts)) distinct prompts sampled (\(Self.count(near.sampledRequests)) requests), "
            + "\(Self.count(near.nearDuplicatePrompts)) would be answered from an earlier, similar prompt of the same conversation context "
            + "at similarity \(String(format: near.threshold, digits: 2)) with \(guards); the guards kept \(Self.count(near.vetoedByGuards)) near misses apart. "
            + "Exact repeats \(Self.percent(near.exactRepeatRate)) plus near-duplicates \(Self.percent(near.nearDuplicateRate)): "
            + "\(Self.percent(near.identicalOrSimilarRate)) identical or similar, against the rule of thumb's 30%."
    }
    static let topClustersHeading = "Most repeated after folding case, white space and punctuation"
    static let timelineHeading = "Volume and repeats over time"
    static let noTimestamps = "The log has no timestamps, so volume and repeats cannot be shown over time."
    static let estimatedMark = " (estimated)"

    var adviceHeading: String { "Advice: \(report.advice.verdict.rawValue)" }

    var savingsByModelHeading: String { "Savings by model (\(savingPolicyName))" }

    /// The TTL the per-model savings are measured at.
    var savingPolicyName: String {
        report.recommendation.timeToLive.map { "at the recommended TTL, \(Self.duration($0))" } ?? "at a 24 h TTL"
    }

    // MARK: Figures

    static func percent(_ share: Double) -> String { String(format: share.finiteOrZero * 100, digits: 1) + "%" }
    static func dollars(_ value: Double) -> String {
        let value = value.finiteOrZero
        return (value < 0 ? "-$" : "$") + String(format: abs(value), digits: abs(value) < 100 ? 4 : 2)
    }
    /// Dollars to the cent, as the advice states them: `$1,287.41`.
    static func cents(_ value: Double) -> String {
        let value = value.finiteOrZero
        return (value < 0 ? "-$" : "$") + String(format: abs(value), digits: 2)
    }
    /// A count grouped in thousands: `28,531,721`.
    static func count(_ value: Int) -> String { String(format: Double(value), digits: 0) }
    static func seconds(_ value: Double) -> String { String(format: value.finiteOrZero, digits: 1) + " s" }
    /// A TTL as the sweep names it, without its "TTL " prefix: `5 min`, `6 h`.
    static func duration(_ ttl: Duration) -> String { String(SimulatedPolicy.timeToLive(ttl).description.dropFirst(4)) }

    /// The outcomes of the TTL sweep and the unlimited cache, in sweep order.
    static func timeToLiveOutcomes(_ outcomes: [PolicyOutcome]) -> [PolicyOutcome] {
        outcomes.filter { outcome in
            switch outcome.policy {
            case .timeToLive, .unlimited: true
            case .entries, .bytes: false
            }
        }
    }

    /// The outcomes of the capacity sweep.
    static func capacityOutcomes(_ outcomes: [PolicyOutcome]) -> [PolicyOutcome] {
        outcomes.filter { outcome in
            switch outcome.policy {
            case .entries, .bytes: true
            case .timeToLive, .unlimited: false
            }
        }
    }

    /// Models by request count, most first, at most `limit`.
    /// The routes by requests, when the log has several (one route says nothing a model row does not).
    func busiestRoutes(limit: Int = 8) -> [(route: String, tally: RepetitionStatistics.Tally)] {
        guard report.repetition.byRoute.count > 1 else { return [] }
        return report.repetition.byRoute.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }.prefix(limit).map { ($0.key, $0.value) }
    }

    /// The largest clusters of prompts equal after folding, when folding joins more than exact matching does.
    func topClusters(limit: Int = 10) -> [RepetitionStatistics.RepeatedPrompt]? {
        let total = report.repetition.total
        guard total.normalizedRepeatRate > total.exactRepeatRate else { return nil }
        let clusters = report.repetition.topRepeatedClusters(limit: limit)
        return clusters.isEmpty ? nil : clusters
    }

    /// The latency a policy saved, or that the log does not say.
    func latencySaved(_ outcome: PolicyOutcome) -> String {
        report.latencyKnown ? Self.seconds(outcome.savedLatency) : "not in log"
    }

    func busiestModels(limit: Int = 8) -> [(model: String, tally: RepetitionStatistics.Tally)] {
        report.repetition.byModel.sorted { ($0.value.requests, $1.key) > ($1.value.requests, $0.key) }
            .prefix(limit).map { ($0.key, $0.value) }
    }

    /// Provider-cache estimates by input tokens, most first.
    var providerCacheByInput: [(model: String, estimate: ProviderCacheEstimate.ModelEstimate)] {
        report.providerCache.sorted { ($0.value.inputTokens, $1.key) > ($1.value.inputTokens, $0.key) }.map { ($0.key, $0.value) }
    }

    // MARK: Sentences

    var period: String? { report.period.map { "\($0.start.iso8601) – \($0.end.iso8601)" } }

    /// The period for a reader: `2025-11-24 16:00 to 2025-12-01 15:59 UTC`.
    var readablePeriod: String? {
        report.period.map { period in
            func minute(_ instant: EpochInstant) -> String { String(instant.iso8601.prefix(16)).replacingFirstT() }
            return "\(minute(period.start)) to \(minute(period.end)) UTC"
        }
    }

    var tokens: String {
        "\(report.inputTokens) in, \(report.outputTokens) out" + (report.tokensEstimated ? "  (some estimated from text: about 4 bytes a token)" : "")
    }

    var spend: String { "\(Self.dollars(report.dollars)) at list prices of \(PriceTable.builtInDate)" }

    var unpriced: String? {
        report.unpricedModels.isEmpty ? nil : "\(report.unpricedModels.joined(separator: ", ")) (counted at $0; add them with --prices)"
    }

    static let noContent = "The log has no prompt text or bodies, so repeats cannot be measured; token and prefix figures only."

    var ruleOfThumb: String {
        let total = report.repetition.total
        let rule = total.exactRepeatRate > 0.3 || total.normalizedRepeatRate > 0.3 ? "above" : "below"
        return "The rule of thumb calls caching worthwhile above 30% repeats; this log is \(rule) it."
    }

    var recommendation: String {
        let recommendation = report.recommendation
        if let ttl = recommendation.timeToLive {
            return "Recommended TTL: \(Self.duration(ttl)), the shortest capturing \(Self.percent(recommendation.capturedShare)) of what an unlimited cache would save (in \(recommendation.measure)). The default 5 minutes captures \(Self.percent(recommendation.defaultCapturedShare))."
        }
        return "No TTL in the sweep captures 90% of an unlimited cache's savings; the default 5 minutes captures \(Self.percent(recommendation.defaultCapturedShare))."
    }

    /// How many requests stay out of the cache, or `nil` when none does.
    var volatility: String? {
        let tally = report.volatility
        let volatile = tally.timeSensitive + tally.personalData
        guard volatile > 0 else { return nil }
        return "\(volatile) requests (\(Self.percent(Double(volatile) / Double(max(report.requests, 1))))): \(tally.timeSensitive) about the present, \(tally.personalData) with personal data."
    }

    /// The verdict's explanation followed by how the month was scaled and how fine-tuning was priced.
    var advice: String { report.advice.explanation + " " + adviceAssumptions }

    var adviceAssumptions: String {
        let assumptions = report.fineTuningAssumptions
        let scale = report.monthlyAssumed
            ? "The log has no usable period, so its figures are taken as one month."
            : "Monthly figures scale the log's period to 30 days (×\(String(format: report.monthlyFactor, digits: 1)))."
        let prices = report.fineTuningPrices
        return scale
            + " Fine-tuning \(report.mainModel ?? "the main model") is priced at $\(String(format: prices.trainingPerMillion))/M training tokens "
            + "and $\(String(format: prices.inputPerMillion))/$\(String(format: prices.outputPerMillion)) per M tokens in/out (\(prices.source)), "
            + "with \(assumptions.epochs) epochs and $\(String(format: assumptions.setupCost)) of setup; "
            + "\(Self.percent(report.repeatedInstructions.share)) of input tokens are system prompts and examples that many requests repeat, "
            + "which a fine-tuned model would no longer need."
    }
}

extension ReportWording {
    /// The timeline in at most `maximum` rows, consecutive buckets merged when there are more, each
    /// labelled by its start: `2026-11-20 14:00` for hours, `2026-11-20` for days.
    func timelineRows(maximum: Int) -> [(label: String, counts: UsageTimeline.Bucket)] {
        let buckets = report.timeline.buckets
        guard !buckets.isEmpty, maximum > 0 else { return [] }
        let perRow = (buckets.count + maximum - 1) / maximum
        return stride(from: 0, to: buckets.count, by: perRow).map { first in
            var counts = UsageTimeline.Bucket()
            for bucket in buckets[first..<min(first + perRow, buckets.count)] { counts.add(bucket.counts) }
            return (timelineLabel(buckets[first].start), counts)
        }
    }

    /// A bucket's start: date and hour for hourly buckets, the date alone for daily ones.
    func timelineLabel(_ start: EpochInstant) -> String {
        let text = start.iso8601
        return report.timeline.bucketSeconds < 86_400
            ? String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
            : String(text.prefix(10))
    }

    /// What one bucket of the timeline covers, in words.
    var timelineBucketName: String { report.timeline.bucketSeconds < 86_400 ? "hour" : "day" }
}
