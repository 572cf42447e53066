import Reprise

/// The charts of ``HTMLReport``; each explains itself in words instead when it would show nothing.
extension HTMLReport {
    /// The TTL sweep and the unlimited cache, as axis labels: `1 min` … `24 h`, `unlimited`.
    private var timeToLiveNames: [String] {
        ReportWording.timeToLiveOutcomes(report.exactOutcomes).map { outcome in
            if case .timeToLive(let ttl) = outcome.policy { return ReportWording.duration(ttl) }
            return outcome.policy.description
        }
    }

    /// The normalized outcomes in the order of the exact ones (0 where one is missing).
    private func normalized(_ value: (PolicyOutcome) -> Double) -> [Double] {
        ReportWording.timeToLiveOutcomes(report.exactOutcomes).map { exact in
            report.normalizedOutcomes.first { $0.policy == exact.policy }.map(value) ?? 0
        }
    }

    var hitRateChart: String {
        let exact = ChartSeries("exact matches", values: ReportWording.timeToLiveOutcomes(report.exactOutcomes).map(\.hitRate),
                                mark: .line, color: ChartPalette.exact, format: ReportWording.percent)
        let folded = ChartSeries("normalized (case, spaces, punctuation folded)", values: normalized(\.hitRate),
                                 mark: .line, color: ChartPalette.normalized, format: ReportWording.percent)
        guard exact.hasData || folded.hasData else {
            return emptyChart("No request repeats an earlier one within any TTL, so the hit rate is 0% at every TTL.")
        }
        let chart = SVGColumnChart(
            title: "Hit rate against TTL", summary: "Share of requests a response cache would answer, for TTLs from 1 minute to unlimited, exact and normalized matches.",
            categories: timeToLiveNames, series: [exact, folded], leftFormat: Self.wholePercent, leftCeiling: 1)
        return figure(chart.rendered, caption: "Hit rate against TTL: the share of requests the cache would answer.")
    }

    var savedByTimeToLiveChart: String {
        let exact = ChartSeries("exact matches", values: ReportWording.timeToLiveOutcomes(report.exactOutcomes).map(\.savedDollars),
                                color: ChartPalette.exact, format: ReportWording.dollars)
        let folded = ChartSeries("normalized", values: normalized(\.savedDollars), color: ChartPalette.normalized, format: ReportWording.dollars)
        guard exact.hasData || folded.hasData else {
            // Without a single hit the hit-rate chart has already said why nothing is saved.
            let hits = (report.exactOutcomes + report.normalizedOutcomes).contains { $0.hits > 0 }
            guard hits else { return "" }
            let reason = report.dollars > 0
                ? "The hits save no dollars: the repeated requests cost nothing at list prices."
                : "The log's spend is $0 (its models have no price, or it has no token counts), so savings in dollars are $0 at every TTL; add prices with --prices."
            return emptyChart(reason)
        }
        let chart = SVGColumnChart(
            title: "Dollars saved against TTL", summary: "Dollars a response cache would have saved over the log, for TTLs from 1 minute to unlimited, exact and normalized matches.",
            categories: timeToLiveNames, series: [exact, folded], leftFormat: Self.axisDollars)
        return figure(chart.rendered, caption: "Dollars saved against TTL, over the log's period.")
    }

    var savingsByModelChart: String {
        let models = report.savingsByModel.prefix(12)
        let spend = ChartSeries("spend", values: models.map { $0.dollars }, color: ChartPalette.spend, format: ReportWording.dollars)
        let saved = ChartSeries("saved by the cache", values: models.map { $0.savedDollars }, color: ChartPalette.saved, format: ReportWording.dollars)
        guard spend.hasData || saved.hasData else {
            return emptyChart("Spend is $0 for every model (no prices or no token counts), so there are no dollars to compare; add prices with --prices.")
        }
        let chart = SVGBarListChart(
            title: "Savings by model", summary: "Spend and the dollars the response cache would save, for each model, \(wording.savingPolicyName).",
            labels: models.map { $0.model }, series: [spend, saved], axisFormat: Self.axisDollars)
        let more = report.savingsByModel.count > models.count ? " The table lists all \(report.savingsByModel.count) models." : ""
        let none = saved.hasData ? "" : " No model saves anything: no request repeats within this TTL."
        return figure(chart.rendered, caption: "Spend and dollars saved by model, \(wording.savingPolicyName).\(none)\(more)")
    }

    var timeline: String {
        let buckets = report.timeline.buckets
        guard !buckets.isEmpty else { return section(ReportWording.timelineHeading, [emptyChart(ReportWording.noTimestamps)]) }
        let unit = wording.timelineBucketName
        let measurable = report.repetition.total.withContent > 0
        var series = [ChartSeries("requests per \(unit)", values: buckets.map { Double($0.counts.requests) }, color: ChartPalette.requests,
                                  format: { String(format: $0, digits: 0) })]
        if measurable {
            series.append(ChartSeries("exact repeat rate", values: buckets.map { $0.counts.repeatRate }, mark: .line, axis: .right,
                                      color: ChartPalette.repeatRate, format: ReportWording.percent))
        }
        let busiest = buckets.map { $0.counts.requests }.max() ?? 0
        let chart = SVGColumnChart(
            title: "Volume and repeat rate over time",
            summary: "Requests per \(unit) from \(wording.timelineLabel(buckets[0].start)) to \(wording.timelineLabel(buckets[buckets.count - 1].start)); at most \(busiest) in one \(unit)"
                + (measurable ? ", with the share that repeat an earlier request." : "."),
            categories: buckets.map { wording.timelineLabel($0.start) }, series: series,
            leftFormat: { String(format: $0, digits: 0) }, rightFormat: Self.wholePercent, rightCeiling: 1, leftMinimumStep: 1)
        let caption = "Requests per \(unit) (bars)" + (measurable ? " and the share repeating an earlier request exactly (line)." : "; the log has no prompt text, so repeats are not shown.")
        let cut = report.timeline.buckets.count >= UsageTimeline.maximumBuckets ? " Only the last \(UsageTimeline.maximumBuckets) \(unit)s are shown." : ""
        return section(ReportWording.timelineHeading, [figure(chart.rendered, caption: caption + cut)])
    }

    func topPromptsChart(_ top: [RepetitionStatistics.RepeatedPrompt]) -> String {
        let counts = ChartSeries("times sent", values: top.map { Double($0.count) }, color: ChartPalette.exact, format: { String(format: $0, digits: 0) })
        var chart = SVGBarListChart(
            title: "Most repeated prompts", summary: "How many times each of the \(top.count) most repeated prompts was sent.",
            labels: top.enumerated().map { "\($0 + 1). " + $1.text }, series: [counts], axisFormat: { String(format: $0, digits: 0) })
        chart.labelCharacters = 36
        chart.minimumStep = 1
        return figure(chart.rendered, caption: "How many times each prompt was sent, numbered as in the table below, which gives its text and cost.")
    }

    /// A share as a whole percentage, for axis ticks: `25%`.
    static func wholePercent(_ share: Double) -> String { String(format: share * 100, digits: 0) + "%" }

    /// Dollars with as few decimals as the value needs, for axis ticks: `$0`, `$0.0025`, `$2.50`, `$1,200`.
    static func axisDollars(_ value: Double) -> String {
        guard value.isFinite, value > 0 else { return "$0" }
        if value >= 10 || value == value.rounded() { return "$" + String(format: value, digits: 0) }
        var digits = 2
        var scaled = value
        while scaled < 1, digits < 8 {
            scaled *= 10
            if scaled < 1 { digits += 1 }
        }
        return "$" + String(format: value, digits: digits)
    }
}
