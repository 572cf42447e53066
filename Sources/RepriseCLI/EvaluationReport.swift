import Reprise
import RepriseSemantic

/// The text and JSON forms of one file's semantic evaluation.
struct EvaluationReport {
    /// GPTCache's default: a similarity threshold of 0.8 and no guards.
    static let gptCacheThreshold = 0.8

    /// GPTCache's default run with another model than the one evaluated (`--gptcache-model`).
    struct Baseline {
        var model: String
        var evaluation: SemanticEvaluation
    }

    let file: String
    let pairs: [LabeledPair]
    let evaluation: SemanticEvaluation
    let maximumFalseHitRate: Double
    /// The model GPTCache's default runs with; `nil`: the model evaluated.
    var gptCache: Baseline?

    init(file: String, pairs: [LabeledPair], evaluation: SemanticEvaluation, maximumFalseHitRate: Double) {
        self.file = file
        self.pairs = pairs
        self.evaluation = evaluation
        self.maximumFalseHitRate = maximumFalseHitRate
    }

    /// GPTCache's default: 0.8 without guards, with the baseline model or the model evaluated.
    private var gptCacheRow: SemanticEvaluation.Row? {
        (gptCache?.evaluation ?? evaluation).row(threshold: Self.gptCacheThreshold, guarded: false)
    }

    var text: String {
        let same = pairs.filter(\.same).count
        var lines = ["\(file): \(pairs.count) pairs, \(same) same, \(pairs.count - same) different", ""]
        lines.append("threshold | no guards: precision recall F1 false-hits | guards: precision recall F1 false-hits")
        for threshold in stride(from: 0.70, through: 0.99, by: 0.01) {
            guard let plain = evaluation.row(threshold: threshold, guarded: false),
                let guarded = evaluation.row(threshold: threshold, guarded: true)
            else { continue }
            lines.append("\(decimal(threshold)) | \(cells(plain)) | \(cells(guarded))")
        }
        lines.append("")
        for guarded in [false, true] {
            let label = guarded ? "with guards" : "without guards"
            if let row = evaluation.threshold(maximumFalseHitRate: maximumFalseHitRate, guarded: guarded) {
                lines.append(
                    "false-hit rate ≤ \(percent(maximumFalseHitRate)) \(label): threshold \(decimal(row.threshold)), recall \(format(row.recall)), precision \(format(row.precision))")
            } else {
                lines.append("false-hit rate ≤ \(percent(maximumFalseHitRate)) \(label): no threshold up to 0.99 gets there")
            }
        }
        if let gptCache = gptCacheRow {
            let model = self.gptCache.map { ", \($0.model)" } ?? ""
            lines.append("GPTCache default (0.8, no guards\(model)): \(cells(gptCache))")
            if let recall = gptCache.recall, recall > 0 {
                if self.gptCache != nil { lines.append(comparison(with: gptCache, recall: recall, guarded: false)) }
                lines.append(comparison(with: gptCache, recall: recall, guarded: true))
                for (guardName, report) in withoutOneGuard {
                    let ceiling = report.evaluation.guardedRecallCeiling.map(percent) ?? "–"
                    lines.append(
                        "  without the \(guardName.rawValue) guard (the others pass \(ceiling) of the same pairs): "
                            + (report.bestAtGPTCacheRecall(than: gptCache, guarded: true) ?? "none"))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: JSONValue {
        .object([
            "file": .string(file),
            "pairs": .number(JSONNumber(pairs.count)),
            "same": .number(JSONNumber(pairs.filter(\.same).count)),
            "rows": .array(evaluation.rows.map(Self.json)),
            "recommended": .object([
                "without_guards": evaluation.threshold(maximumFalseHitRate: maximumFalseHitRate, guarded: false).map(Self.json) ?? .null,
                "with_guards": evaluation.threshold(maximumFalseHitRate: maximumFalseHitRate, guarded: true).map(Self.json) ?? .null,
            ]),
            "maximum_false_hit_rate": .number(JSONNumber(maximumFalseHitRate)),
            "guarded_recall_ceiling": evaluation.guardedRecallCeiling.map { .number(JSONNumber(($0 * 10_000).rounded() / 10_000)) } ?? .null,
            "gptcache_default": gptCacheRow.map(Self.json) ?? .null,
            "gptcache_model": gptCache.map { .string($0.model) } ?? .null,
            "guarded_at_gptcache_recall": mostPreciseAtGPTCacheRecall(guarded: true).map(Self.json) ?? .null,
            "unguarded_at_gptcache_recall": mostPreciseAtGPTCacheRecall(guarded: false).map(Self.json) ?? .null,
            "without_one_guard": .array(
                withoutOneGuard.map { guardName, report in
                    .object([
                        "guard": .string(guardName.rawValue),
                        "guarded_recall_ceiling": report.evaluation.guardedRecallCeiling.map { .number(JSONNumber(($0 * 10_000).rounded() / 10_000)) } ?? .null,
                        "guarded_at_gptcache_recall": report.mostPreciseAtGPTCacheRecall(guarded: true).map(Self.json) ?? .null,
                    ])
                }),
        ])
    }

    /// The same report with each guard that vetoed some pair left off in turn, when more than one did.
    private var withoutOneGuard: [(SemanticGuard, EvaluationReport)] {
        let used = Set(evaluation.scored.flatMap(\.vetoes))
        guard used.count > 1 else { return [] }
        return SemanticGuard.allCases.filter(used.contains).map { guardName in
            var report = EvaluationReport(file: file, pairs: pairs, evaluation: evaluation.without(guardName), maximumFalseHitRate: maximumFalseHitRate)
            report.gptCache = gptCache
            return (guardName, report)
        }
    }

    /// The most precise threshold of the model evaluated, with or without guards, whose recall is at least
    /// GPTCache's default's.
    private func mostPreciseAtGPTCacheRecall(guarded: Bool) -> SemanticEvaluation.Row? {
        guard let recall = gptCacheRow?.recall, recall > 0 else { return nil }
        return evaluation.mostPrecise(reachingRecall: recall, guarded: guarded)
    }

    /// One line: the best precision, with or without guards, at GPTCache's recall or more, or why no threshold
    /// gets there.
    private func comparison(with gptCache: SemanticEvaluation.Row, recall: Double, guarded: Bool) -> String {
        let label = guarded ? "with guards" : "without guards"
        guard let best = bestAtGPTCacheRecall(than: gptCache, guarded: guarded) else {
            let ceiling = evaluation.guardedRecallCeiling.map(percent) ?? "–"
            return "\(label) at GPTCache's recall (\(percent(recall))) or more: none; the guards pass \(ceiling) of the same pairs"
        }
        return "\(label) at GPTCache's recall (\(percent(recall))) or more: " + best
    }

    /// The most precise threshold at GPTCache's recall or more, with its precision against GPTCache's, or `nil`
    /// when no threshold gets there.
    private func bestAtGPTCacheRecall(than gptCache: SemanticEvaluation.Row, guarded: Bool) -> String? {
        guard let row = mostPreciseAtGPTCacheRecall(guarded: guarded), let precision = row.precision, let base = gptCache.precision else {
            return nil
        }
        let points = ((precision - base) * 1000).rounded() / 10
        return "threshold \(threshold(row.threshold)), precision \(percent(precision)) (\(points >= 0 ? "+" : "")\(points) points), "
            + "recall \(format(row.recall)), false hits \(format(row.falseHitRate))"
    }

    private func threshold(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded(.down))
        let digits = String(thousandths % 1000)
        return "\(thousandths / 1000).\(String(repeating: "0", count: 3 - digits.count))\(digits)"
    }

    private static func json(_ row: SemanticEvaluation.Row) -> JSONValue {
        func number(_ value: Double?) -> JSONValue { value.map { .number(JSONNumber(($0 * 10_000).rounded() / 10_000)) } ?? .null }
        return .object([
            "threshold": .number(JSONNumber(row.threshold)), "guards": .bool(row.guarded),
            "precision": number(row.precision), "recall": number(row.recall), "f1": number(row.f1),
            "false_hit_rate": number(row.falseHitRate), "true_positives": .number(JSONNumber(row.truePositives)),
            "false_positives": .number(JSONNumber(row.falsePositives)),
        ])
    }

    private func cells(_ row: SemanticEvaluation.Row) -> String {
        "\(format(row.precision)) \(format(row.recall)) \(format(row.f1)) \(format(row.falseHitRate))"
    }

    private func format(_ value: Double?) -> String {
        guard let value else { return "  –  " }
        return percent(value)
    }

    private func percent(_ value: Double) -> String {
        "\((value * 1000).rounded() / 10)%"
    }

    /// A threshold with two decimals.
    private func decimal(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}
