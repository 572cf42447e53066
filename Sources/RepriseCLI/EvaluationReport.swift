import Reprise
import RepriseSemantic

/// The text and JSON forms of one file's semantic evaluation.
struct EvaluationReport {
    /// GPTCache's default: a similarity threshold of 0.8 and no guards.
    static let gptCacheThreshold = 0.8

    let file: String
    let pairs: [LabeledPair]
    let evaluation: SemanticEvaluation
    let maximumFalseHitRate: Double

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
        if let gptCache = evaluation.row(threshold: Self.gptCacheThreshold, guarded: false) {
            lines.append("GPTCache default (0.8, no guards): \(cells(gptCache))")
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
        ])
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
