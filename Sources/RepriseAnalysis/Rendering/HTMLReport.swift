import Reprise

/// An analysis as one self-contained HTML page: the terminal summary's sections, in its order and words,
/// with inline SVG charts of hit rate and savings against TTL, savings by model, volume and repeats over
/// time and the most repeated prompts.
///
/// The page needs nothing else to open, offline: the style is inline and there are no scripts, fonts,
/// images or links to other addresses. Everything taken from the log is escaped (``String/htmlEscaped``),
/// since prompts are untrusted. The markup is also well-formed XML.
public struct HTMLReport: Sendable {
    public let report: AnalysisReport

    public init(_ report: AnalysisReport) {
        self.report = report
    }

    var wording: ReportWording { ReportWording(report) }

    /// The page.
    public var rendered: String {
        let measurable = report.repetition.total.withContent > 0
        let sections = measurable
            ? [overview, timeline, repetition, nearDuplicates, replay, savingsByModel, capacity, providerCache, volatility, topPrompts, advice]
            : [overview, timeline, repetition, providerCache, advice]
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>Reprise usage analysis</title>
            <style>
            \(HTMLReportStyle.css)
            </style>
            </head>
            <body>
            <main>
            \(header)
            \(keyFigures)
            \(sections.filter { !$0.isEmpty }.joined(separator: "\n"))
            <footer>Made by <strong>reprise analyze</strong> from \(ReportWording.count(report.requests)) requests. Prices are list prices of \(PriceTable.builtInDate.htmlEscaped).</footer>
            </main>
            </body>
            </html>

            """
    }

    // MARK: Building blocks

    func section(_ heading: String, _ parts: [String]) -> String {
        "<section>\n<h2>\(heading.htmlEscaped)</h2>\n" + parts.filter { !$0.isEmpty }.joined(separator: "\n") + "\n</section>"
    }

    func paragraph(_ text: String, note: Bool = false) -> String {
        "<p\(note ? " class=\"note\"" : "")>\(text.htmlEscaped)</p>"
    }

    /// Said in place of a chart that would show nothing, so no chart is ever empty without a reason.
    func emptyChart(_ reason: String) -> String { "<p class=\"empty\">\(reason.htmlEscaped)</p>" }

    func figure(_ chart: String, caption: String) -> String {
        "<figure>\n\(chart)\n<figcaption>\(caption.htmlEscaped)</figcaption>\n</figure>"
    }

    func percent(_ share: Double) -> String { ReportWording.percent(share) }
    func dollars(_ value: Double) -> String { ReportWording.dollars(value) }

    // MARK: Sections

    private var header: String {
        var subtitle = "\(ReportWording.count(report.requests)) requests"
        if let period = wording.readablePeriod { subtitle += " from " + period }
        return "<header class=\"page\">\n<h1>Reprise usage analysis</h1>\n<p>\(subtitle.htmlEscaped)</p>\n</header>"
    }

    private var keyFigures: String {
        let total = report.repetition.total
        var cards = [
            card("Requests", ReportWording.count(report.requests),
                 detail: "\(ReportWording.count(report.inputTokens + report.outputTokens)) tokens" + (report.tokensEstimated ? ", some estimated" : "")),
            card("Spend", dollars(report.dollars), detail: "at list prices of \(PriceTable.builtInDate)"),
        ]
        if total.withContent > 0 {
            cards.append(card("Exact repeats", percent(total.exactRepeatRate), detail: "\(percent(total.normalizedRepeatRate)) normalized"))
            let ttl = report.recommendation.timeToLive
            cards.append(card("Recommended TTL", ttl.map(ReportWording.duration) ?? "none",
                              detail: (ttl == nil ? "no TTL captures 90%; " : "") + "5 min captures \(percent(report.recommendation.defaultCapturedShare))"))
        }
        cards.append(card("Advice", report.advice.verdict.rawValue, detail: "cache saves \(ReportWording.cents(report.advice.cacheMonthlySavings)) a month", verdict: report.advice.verdict != .neither))
        return "<div class=\"figures\">\n" + cards.joined(separator: "\n") + "\n</div>"
    }

    private func card(_ label: String, _ value: String, detail: String, verdict: Bool = false) -> String {
        "<div class=\"figure\(verdict ? " verdict" : "")\"><div class=\"label\">\(label.htmlEscaped)</div><div class=\"value\">\(value.htmlEscaped)</div><div class=\"detail\">\(detail.htmlEscaped)</div></div>"
    }

    private var overview: String {
        var table = HTMLTable(header: ["measure", "value"])
        table.add(["Requests", "\(report.requests)"])
        if let period = wording.period { table.add(["Period", period]) }
        table.add(["Tokens", wording.tokens])
        table.add(["Spend", wording.spend])
        if let unpriced = wording.unpriced { table.add(["Unpriced", unpriced]) }
        return section(ReportWording.usageHeading, [table.rendered])
    }

    private var repetition: String {
        let total = report.repetition.total
        guard total.withContent > 0 else { return section(ReportWording.repetitionHeading, [paragraph(ReportWording.noContent)]) }
        var table = HTMLTable(header: ["slice", "requests", "exact repeats", "normalized repeats"], rightAligned: [1, 2, 3])
        table.add(["all", "\(total.requests)", percent(total.exactRepeatRate), percent(total.normalizedRepeatRate)])
        for (model, tally) in wording.busiestModels() {
            table.add([model, "\(tally.requests)", percent(tally.exactRepeatRate), percent(tally.normalizedRepeatRate)])
        }
        return section(ReportWording.repetitionHeading, [table.rendered, paragraph(wording.ruleOfThumb)])
    }

    private var replay: String {
        var table = HTMLTable(header: ["cache", "hit rate", "normalized hit rate", "saved", "tokens saved", "latency saved"], rightAligned: [1, 2, 3, 4, 5])
        for outcome in ReportWording.timeToLiveOutcomes(report.exactOutcomes) {
            let normalized = report.normalizedOutcomes.first { $0.policy == outcome.policy }
            table.add([outcome.policy.description, percent(outcome.hitRate), normalized.map { percent($0.hitRate) } ?? "–",
                       dollars(outcome.savedDollars), "\(outcome.savedTokens)", wording.latencySaved(outcome)])
        }
        return section(ReportWording.replayHeading, [paragraph(wording.recommendation), hitRateChart, savedByTimeToLiveChart, table.rendered])
    }

    private var savingsByModel: String {
        guard !report.savingsByModel.isEmpty else { return "" }
        var table = HTMLTable(header: ["model", "spend", "saved", "share saved"], rightAligned: [1, 2, 3])
        for entry in report.savingsByModel {
            table.add([entry.model, dollars(entry.dollars), dollars(entry.savedDollars), entry.dollars > 0 ? percent(entry.savedDollars / entry.dollars) : "–"])
        }
        return section(wording.savingsByModelHeading, [savingsByModelChart, table.rendered])
    }

    private var capacity: String {
        var table = HTMLTable(header: ["size bound (no expiry)", "hit rate", "saved"], rightAligned: [1, 2])
        for outcome in ReportWording.capacityOutcomes(report.exactOutcomes) {
            table.add([outcome.policy.description, percent(outcome.hitRate), dollars(outcome.savedDollars)])
        }
        return table.rows.isEmpty ? "" : section(ReportWording.capacityHeading, [table.rendered])
    }

    private var providerCache: String {
        guard !report.providerCache.isEmpty else { return "" }
        var table = HTMLTable(header: ["model", "input tokens", "from prefix cache", "saved"], rightAligned: [1, 2, 3])
        for (model, estimate) in wording.providerCacheByInput {
            table.add([model + (estimate.estimated ? ReportWording.estimatedMark : ""), "\(estimate.inputTokens)", percent(estimate.cachedShare), dollars(estimate.savedDollars)])
        }
        let estimated = wording.providerCacheByInput.contains { $0.estimate.estimated }
            ? paragraph("Rows marked (estimated) count some tokens from text, at about 4 bytes a token.", note: true) : ""
        return section(ReportWording.providerCacheHeading, [table.rendered, estimated])
    }

    private var nearDuplicates: String {
        guard let summary = wording.nearDuplicates, let near = report.nearDuplicates else { return "" }
        let examples = near.examples.prefix(5).map { example in
            "<li><span class=\"tag\">\(String(format: example.similarity, digits: 3))</span>\(example.prompt.onOneLine.htmlEscaped) ≈ \(example.matched.onOneLine.htmlEscaped)</li>"
        }
        return section(ReportWording.nearDuplicatesHeading, [
            paragraph(summary), examples.isEmpty ? "" : "<ul class=\"examples\">\n" + examples.joined(separator: "\n") + "\n</ul>",
        ])
    }

    private var volatility: String {
        guard let summary = wording.volatility else { return "" }
        let examples = report.volatility.examples.map { example in
            "<li><span class=\"tag\">\(example.kind.htmlEscaped)</span>\(example.prompt.onOneLine.htmlEscaped)</li>"
        }
        return section(ReportWording.volatilityHeading, [
            paragraph(summary), examples.isEmpty ? "" : "<ul class=\"examples\">\n" + examples.joined(separator: "\n") + "\n</ul>",
        ])
    }

    private var topPrompts: String {
        let top = report.repetition.topRepeatedPrompts(limit: 10)
        guard !top.isEmpty else {
            return section(ReportWording.topPromptsHeading, [emptyChart("No prompt is sent more than once, so there is nothing to list.")])
        }
        var table = HTMLTable(header: ["#", "count", "cost", "model", "prompt"], rightAligned: [0, 1, 2], wrapping: [4])
        for (rank, prompt) in top.enumerated() {
            table.add(["\(rank + 1)", "\(prompt.count)", dollars(prompt.dollars), prompt.model ?? "–", prompt.text.shortened(to: 400)])
        }
        return section(ReportWording.topPromptsHeading, [topPromptsChart(top), table.rendered])
    }

    private var advice: String {
        var table = HTMLTable(header: ["option", "saves a month", "net saving over the advice horizon"], rightAligned: [1, 2])
        let advice = report.advice
        let cents = ReportWording.cents
        table.add(["cache", cents(advice.cacheMonthlySavings), cents(advice.netSavings[.cache] ?? 0)])
        table.add(["fine-tune", cents(advice.fineTuningMonthlySavings), cents(advice.netSavings[.fineTune] ?? 0)])
        table.add(["both", cents(advice.bothMonthlySavings), cents(advice.netSavings[.both] ?? 0)])
        return section(wording.adviceHeading, [
            "<p class=\"advice\">\(advice.explanation.htmlEscaped)</p>", table.rendered, paragraph(wording.adviceAssumptions, note: true),
        ])
    }
}
