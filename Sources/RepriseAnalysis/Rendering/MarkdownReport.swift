import Reprise

/// An analysis as GitHub-flavoured Markdown: the terminal summary's sections, in its order and words, with
/// pipe tables, plus savings by model and volume over time.
///
/// Text from the log (prompts, model names) is escaped, so a prompt cannot break a table or inject markup.
public struct MarkdownReport: Sendable {
    public let report: AnalysisReport

    public init(_ report: AnalysisReport) {
        self.report = report
    }

    private var wording: ReportWording { ReportWording(report) }

    /// The document, ending in a newline.
    public var rendered: String {
        let measurable = report.repetition.total.withContent > 0
        let sections = measurable
            ? [overview, timeline, repetition, nearDuplicates, replay, savingsByModel, capacity, providerCache, volatility, topPrompts, advice]
            : [overview, timeline, repetition, providerCache, advice]
        return (["# Reprise usage analysis"] + sections.filter { !$0.isEmpty }).joined(separator: "\n\n") + "\n"
    }

    private func heading(_ text: String) -> String { "## " + text.markdownEscaped }
    private func paragraph(_ text: String) -> String { text.markdownEscaped }
    private func percent(_ share: Double) -> String { ReportWording.percent(share) }
    private func dollars(_ value: Double) -> String { ReportWording.dollars(value) }

    private var overview: String {
        var table = MarkdownTable(header: ["measure", "value"])
        table.add(["Requests", "\(report.requests)"])
        if let period = wording.period { table.add(["Period", period]) }
        table.add(["Tokens", wording.tokens])
        table.add(["Spend", wording.spend])
        if let unpriced = wording.unpriced { table.add(["Unpriced", unpriced]) }
        return heading(ReportWording.usageHeading) + "\n\n" + table.rendered
    }

    private var timeline: String {
        let rows = wording.timelineRows(maximum: 24)
        guard !rows.isEmpty else { return heading(ReportWording.timelineHeading) + "\n\n" + paragraph(ReportWording.noTimestamps) }
        let merged = rows.count < report.timeline.buckets.count
        var table = MarkdownTable(header: [merged ? "from" : wording.timelineBucketName, "requests", "exact repeats", "spend"], rightAligned: [1, 2, 3])
        for row in rows {
            table.add([row.label, "\(row.counts.requests)", percent(row.counts.repeatRate), dollars(row.counts.dollars)])
        }
        let note = merged
            ? "\(report.timeline.buckets.count) \(wording.timelineBucketName)s, shown in \(rows.count) rows of consecutive \(wording.timelineBucketName)s."
            : "One row per \(wording.timelineBucketName)."
        return heading(ReportWording.timelineHeading) + "\n\n" + table.rendered + "\n\n" + paragraph(note)
    }

    private var repetition: String {
        let total = report.repetition.total
        guard total.withContent > 0 else { return heading(ReportWording.repetitionHeading) + "\n\n" + paragraph(ReportWording.noContent) }
        var table = MarkdownTable(header: ["slice", "requests", "exact repeats", "normalized repeats"], rightAligned: [1, 2, 3])
        table.add(["all", "\(total.requests)", percent(total.exactRepeatRate), percent(total.normalizedRepeatRate)])
        for (model, tally) in wording.busiestModels() {
            table.add([model, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
        }
        return heading(ReportWording.repetitionHeading) + "\n\n" + table.rendered + "\n\n" + paragraph(wording.ruleOfThumb)
    }

    private var replay: String {
        var table = MarkdownTable(header: ["cache", "hit rate", "normalized hit rate", "saved", "tokens saved", "latency saved"], rightAligned: [1, 2, 3, 4, 5])
        for outcome in ReportWording.timeToLiveOutcomes(report.exactOutcomes) {
            let normalized = report.normalizedOutcomes.first { $0.policy == outcome.policy }
            table.add([outcome.policy.description, percent(outcome.hitRate), normalized.map { percent($0.hitRate) } ?? "–",
                       dollars(outcome.savedDollars), "\(outcome.savedTokens)", wording.latencySaved(outcome)])
        }
        return heading(ReportWording.replayHeading) + "\n\n" + table.rendered + "\n\n" + paragraph(wording.recommendation)
    }

    private var savingsByModel: String {
        guard !report.savingsByModel.isEmpty else { return "" }
        var table = MarkdownTable(header: ["model", "spend", "saved", "share saved"], rightAligned: [1, 2, 3])
        for entry in report.savingsByModel {
            table.add([entry.model, dollars(entry.dollars), dollars(entry.savedDollars), entry.dollars > 0 ? percent(entry.savedDollars / entry.dollars) : "–"])
        }
        return heading(wording.savingsByModelHeading) + "\n\n" + table.rendered
    }

    private var capacity: String {
        var table = MarkdownTable(header: ["size bound (no expiry)", "hit rate", "saved"], rightAligned: [1, 2])
        for outcome in ReportWording.capacityOutcomes(report.exactOutcomes) {
            table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars)])
        }
        return table.rows.isEmpty ? "" : heading(ReportWording.capacityHeading) + "\n\n" + table.rendered
    }

    private var providerCache: String {
        guard !report.providerCache.isEmpty else { return "" }
        var table = MarkdownTable(header: ["model", "input tokens", "from prefix cache", "saved"], rightAligned: [1, 2, 3])
        for (model, estimate) in wording.providerCacheByInput {
            table.add([model + (estimate.estimated ? ReportWording.estimatedMark : ""), "\(estimate.inputTokens)", percent(estimate.cachedShare), dollars(estimate.savedDollars)])
        }
        let estimated = wording.providerCacheByInput.contains { $0.estimate.estimated }
            ? "\n\n" + paragraph("Rows marked (estimated) count some tokens from text, at about 4 bytes a token.") : ""
        return heading(ReportWording.providerCacheHeading) + "\n\n" + table.rendered + estimated
    }

    private var nearDuplicates: String {
        guard let summary = wording.nearDuplicates, let near = report.nearDuplicates else { return "" }
        let examples = near.examples.prefix(5).map { "- " + "\(String(format: $0.similarity, digits: 3)): \($0.prompt.shortened(to: 120)) ≈ \($0.matched.shortened(to: 120))".markdownEscaped }
        return heading(ReportWording.nearDuplicatesHeading) + "\n\n" + paragraph(summary)
            + (examples.isEmpty ? "" : "\n\n" + examples.joined(separator: "\n"))
    }

    private var volatility: String {
        guard let summary = wording.volatility else { return "" }
        let examples = report.volatility.examples.map { "- " + "\($0.kind): \($0.prompt)".markdownEscaped }
        return heading(ReportWording.volatilityHeading) + "\n\n" + paragraph(summary)
            + (examples.isEmpty ? "" : "\n\n" + examples.joined(separator: "\n"))
    }

    private var topPrompts: String {
        let top = report.repetition.topRepeatedPrompts(limit: 10)
        guard !top.isEmpty else { return "" }
        var table = MarkdownTable(header: ["#", "count", "cost", "model", "prompt"], rightAligned: [0, 1, 2])
        for (rank, prompt) in top.enumerated() {
            table.add(["\(rank + 1)", "\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "–", prompt.text.shortened(to: 240)])
        }
        return heading(ReportWording.topPromptsHeading) + "\n\n" + table.rendered
    }

    private var advice: String {
        heading(wording.adviceHeading) + "\n\n" + paragraph(report.advice.explanation) + "\n\n" + paragraph(wording.adviceAssumptions)
    }
}
