import Reprise

/// The terminal summary of an analysis: what the log is, how much repeats, what caching at each TTL and
/// size would save, what the providers' prompt caches would save, and what caching must not touch.
public struct TextReport: Sendable {
    public let report: AnalysisReport
    /// Bold headings when writing to a terminal.
    public let styled: Bool

    public init(_ report: AnalysisReport, styled: Bool = false) {
        self.report = report
        self.styled = styled
    }

    public var rendered: String {
        let measurable = report.repetition.total.withContent > 0
        let sections = measurable
            ? [overview, repetition, replay, capacity, providerCache, volatility, topPrompts, advice]
            : [overview, repetition, providerCache, advice]
        return sections.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private func heading(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func percent(_ share: Double) -> String { String(format: share * 100, digits: 1) + "%" }
    private func dollars(_ value: Double) -> String { "$" + String(format: value, digits: value < 100 ? 4 : 2) }

    private var overview: String {
        var lines = [heading("Usage")]
        lines.append("  Requests        \(report.requests)")
        if let period = report.period { lines.append("  Period          \(period.start.iso8601) – \(period.end.iso8601)") }
        let estimated = report.tokensEstimated ? "  (some estimated from text: about 4 bytes a token)" : ""
        lines.append("  Tokens          \(report.inputTokens) in, \(report.outputTokens) out\(estimated)")
        lines.append("  Spend           \(dollars(report.dollars)) at list prices of \(PriceTable.builtInDate)")
        if !report.unpricedModels.isEmpty {
            lines.append("  Unpriced        \(report.unpricedModels.joined(separator: ", ")) (counted at $0; add them with --prices)")
        }
        return lines.joined(separator: "\n")
    }

    private var repetition: String {
        let total = report.repetition.total
        guard total.withContent > 0 else {
            return heading("Repetition") + "\n  The log has no prompt text or bodies, so repeats cannot be measured; token and prefix figures only."
        }
        var table = TextTable(header: ["slice", "requests", "exact repeats", "normalized repeats"], rightAligned: [1, 2, 3])
        table.add(["all", "\(total.requests)", percent(total.exactRepeatRate), percent(total.normalizedRepeatRate)])
        for (model, tally) in report.repetition.byModel.sorted(by: { $0.value.requests > $1.value.requests }).prefix(8) {
            table.add([model, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
        }
        if report.repetition.byRoute.count > 1 {
            for (route, tally) in report.repetition.byRoute.sorted(by: { $0.value.requests > $1.value.requests }).prefix(8) {
                table.add([route, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
            }
        }
        let rule = total.exactRepeatRate > 0.3 || total.normalizedRepeatRate > 0.3 ? "above" : "below"
        return heading("Repetition") + "\n" + table.rendered() + "\n  The rule of thumb calls caching worthwhile above 30% repeats; this log is \(rule) it."
    }

    private var replay: String {
        var table = TextTable(header: ["cache", "hit rate", "saved", "tokens saved", "latency saved"], rightAligned: [1, 2, 3, 4])
        for outcome in report.exactOutcomes {
            switch outcome.policy {
            case .timeToLive, .unlimited:
                table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars), "\(outcome.savedTokens)", report.latencyKnown ? String(format: outcome.savedLatency, digits: 1) + " s" : "not in log"])
            default: continue
            }
        }
        let recommendation = report.recommendation
        let advice: String
        if let ttl = recommendation.timeToLive {
            advice = "  Recommended TTL: \(SimulatedPolicy.timeToLive(ttl).description.dropFirst(4)), the shortest capturing \(percent(recommendation.capturedShare)) of what an unlimited cache would save (in \(recommendation.measure)). The default 5 minutes captures \(percent(recommendation.defaultCapturedShare))."
        } else {
            advice = "  No TTL in the sweep captures 90% of an unlimited cache's savings; the default 5 minutes captures \(percent(recommendation.defaultCapturedShare))."
        }
        return heading("Replay through the response cache (exact matches, volatile prompts excluded)") + "\n" + table.rendered() + "\n" + advice
    }

    private var capacity: String {
        var table = TextTable(header: ["size bound (no expiry)", "hit rate", "saved"], rightAligned: [1, 2])
        for outcome in report.exactOutcomes {
            switch outcome.policy {
            case .entries, .bytes: table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars)])
            default: continue
            }
        }
        return table.rows.isEmpty ? "" : heading("Replay by cache size") + "\n" + table.rendered()
    }

    private var providerCache: String {
        guard !report.providerCache.isEmpty else { return "" }
        var table = TextTable(header: ["model", "input tokens", "from prefix cache", "saved"], rightAligned: [1, 2, 3])
        for (model, estimate) in report.providerCache.sorted(by: { $0.value.inputTokens > $1.value.inputTokens }) {
            table.add([model + (estimate.estimated ? " (estimated)" : ""), "\(estimate.inputTokens)", percent(estimate.cachedShare), dollars(estimate.savedDollars)])
        }
        return heading("Provider prompt caching (shared prefixes of 1,024+ tokens within 5 minutes)") + "\n" + table.rendered()
    }

    private var volatility: String {
        let volatile = report.volatility.timeSensitive + report.volatility.personalData
        guard volatile > 0 else { return "" }
        var lines = [heading("Kept out of the cache"), "  \(volatile) requests (\(percent(Double(volatile) / Double(max(report.requests, 1))))): \(report.volatility.timeSensitive) about the present, \(report.volatility.personalData) with personal data."]
        for example in report.volatility.examples {
            lines.append("  - \(example.kind): \(example.prompt)")
        }
        return lines.joined(separator: "\n")
    }

    private var advice: String {
        let assumptions = report.fineTuningAssumptions
        let scale = report.monthlyAssumed
            ? "The log has no usable period, so its figures are taken as one month."
            : "Monthly figures scale the log's period to 30 days (×\(String(format: report.monthlyFactor, digits: 1)))."
        let prices = report.fineTuningPrices
        return heading("Advice: \(report.advice.verdict.rawValue)") + "\n  " + report.advice.explanation + "\n  " + scale
            + " Fine-tuning \(report.mainModel ?? "the main model") is priced at $\(String(format: prices.trainingPerMillion))/M training tokens "
            + "and $\(String(format: prices.inputPerMillion))/$\(String(format: prices.outputPerMillion)) per M tokens in/out (\(prices.source)), "
            + "with \(assumptions.epochs) epochs and $\(String(format: assumptions.setupCost)) of setup; "
            + "\(percent(report.repeatedInstructions.share)) of input tokens are system prompts and examples that many requests repeat, "
            + "which a fine-tuned model would no longer need."
    }

    private var topPrompts: String {
        let top = report.repetition.topRepeatedPrompts(limit: 10)
        guard !top.isEmpty else { return "" }
        var table = TextTable(header: ["count", "cost", "model", "prompt"], rightAligned: [0, 1])
        for prompt in top {
            let text = prompt.text.replacingNewlines().prefix(70)
            table.add(["\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "", String(text)])
        }
        var section = heading("Most repeated prompts") + "\n" + table.rendered()
        // Clusters say more than exact prompts only when folding case and punctuation joins some.
        if report.repetition.total.normalizedRepeatRate > report.repetition.total.exactRepeatRate {
            var clusters = TextTable(header: ["count", "cost", "model", "prompt (one of the cluster)"], rightAligned: [0, 1])
            for prompt in report.repetition.topRepeatedClusters(limit: 10) {
                clusters.add(["\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "", String(prompt.text.replacingNewlines().prefix(70))])
            }
            section += "\n\n" + heading("Most repeated after folding case, white space and punctuation") + "\n" + clusters.rendered()
        }
        return section
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
