import Reprise

/// The terminal summary of an analysis: what the log is, how much repeats, what caching at each TTL and
/// size would save, what the providers' prompt caches would save, and what caching must not touch.
///
/// ``MarkdownReport`` and ``HTMLReport`` follow the same sections in the same words (``ReportWording``).
public struct TextReport: Sendable {
    public let report: AnalysisReport
    /// Bold headings when writing to a terminal.
    public let styled: Bool

    public init(_ report: AnalysisReport, styled: Bool = false) {
        self.report = report
        self.styled = styled
    }

    private var wording: ReportWording { ReportWording(report) }

    public var rendered: String {
        let measurable = report.repetition.total.withContent > 0
        let sections = measurable
            ? [overview, repetition, nearDuplicates, replay, capacity, providerCache, volatility, topPrompts, advice]
            : [overview, repetition, providerCache, advice]
        return sections.filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    private func heading(_ text: String) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    private func percent(_ share: Double) -> String { ReportWording.percent(share) }
    private func dollars(_ value: Double) -> String { ReportWording.dollars(value) }

    private var overview: String {
        var lines = [heading(ReportWording.usageHeading)]
        lines.append("  Requests        \(report.requests)")
        if let period = wording.period { lines.append("  Period          \(period)") }
        lines.append("  Tokens          \(wording.tokens)")
        lines.append("  Spend           \(wording.spend)")
        if let unpriced = wording.unpriced { lines.append("  Unpriced        \(unpriced)") }
        return lines.joined(separator: "\n")
    }

    private var repetition: String {
        let total = report.repetition.total
        guard total.withContent > 0 else {
            return heading(ReportWording.repetitionHeading) + "\n  " + ReportWording.noContent
        }
        var table = TextTable(header: ["slice", "requests", "exact repeats", "normalized repeats"], rightAligned: [1, 2, 3])
        table.add(["all", "\(total.requests)", percent(total.exactRepeatRate), percent(total.normalizedRepeatRate)])
        for (model, tally) in wording.busiestModels() {
            table.add([model, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
        }
        for (route, tally) in wording.busiestRoutes() {
            table.add([route, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
        }
        return heading(ReportWording.repetitionHeading) + "\n" + table.rendered() + "\n  " + wording.ruleOfThumb
    }

    private var nearDuplicates: String {
        guard let summary = wording.nearDuplicates, let near = report.nearDuplicates else { return "" }
        var lines = [heading(ReportWording.nearDuplicatesHeading), "  " + summary]
        for example in near.examples.prefix(5) {
            lines.append("  - \(String(format: example.similarity, digits: 3)): \(example.prompt.onOneLine.prefix(60)) ≈ \(example.matched.onOneLine.prefix(60))")
        }
        return lines.joined(separator: "\n")
    }

    private var replay: String {
        var table = TextTable(header: ["cache", "hit rate", "saved", "tokens saved", "latency saved"], rightAligned: [1, 2, 3, 4])
        for outcome in ReportWording.timeToLiveOutcomes(report.exactOutcomes) {
            table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars), "\(outcome.savedTokens)", wording.latencySaved(outcome)])
        }
        return heading(ReportWording.replayHeading) + "\n" + table.rendered() + "\n  " + wording.recommendation
    }

    private var capacity: String {
        var table = TextTable(header: ["size bound (no expiry)", "hit rate", "saved"], rightAligned: [1, 2])
        for outcome in ReportWording.capacityOutcomes(report.exactOutcomes) {
            table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars)])
        }
        return table.rows.isEmpty ? "" : heading(ReportWording.capacityHeading) + "\n" + table.rendered()
    }

    private var providerCache: String {
        guard !report.providerCache.isEmpty else { return "" }
        var table = TextTable(header: ["model", "input tokens", "from prefix cache", "saved"], rightAligned: [1, 2, 3])
        for (model, estimate) in wording.providerCacheByInput {
            table.add([model + (estimate.estimated ? ReportWording.estimatedMark : ""), "\(estimate.inputTokens)", percent(estimate.cachedShare), dollars(estimate.savedDollars)])
        }
        return heading(ReportWording.providerCacheHeading) + "\n" + table.rendered()
    }

    private var volatility: String {
        guard let summary = wording.volatility else { return "" }
        var lines = [heading(ReportWording.volatilityHeading), "  " + summary]
        for example in report.volatility.examples {
            lines.append("  - \(example.kind): \(example.prompt.onOneLine)")
        }
        return lines.joined(separator: "\n")
    }

    private var advice: String {
        heading(wording.adviceHeading) + "\n  " + report.advice.explanation + "\n  " + wording.adviceAssumptions
    }

    private var topPrompts: String {
        let top = report.repetition.topRepeatedPrompts(limit: 10)
        guard !top.isEmpty else { return "" }
        var table = TextTable(header: ["count", "cost", "model", "prompt"], rightAligned: [0, 1])
        for prompt in top {
            table.add(["\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "", String(prompt.text.onOneLine.prefix(70))])
        }
        var section = heading(ReportWording.topPromptsHeading) + "\n" + table.rendered()
        if let clusters = wording.topClusters() {
            var clusterTable = TextTable(header: ["count", "cost", "model", "prompt (one of the cluster)"], rightAligned: [0, 1])
            for prompt in clusters {
                clusterTable.add(["\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "", String(prompt.text.onOneLine.prefix(70))])
            }
            section += "\n\n" + heading(ReportWording.topClustersHeading) + "\n" + clusterTable.rendered()
        }
        return section
    }
}
