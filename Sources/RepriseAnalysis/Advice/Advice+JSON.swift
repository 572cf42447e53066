import Reprise

extension Advice {
    /// The advice as JSON, with the same figures as the explanation.
    public var json: JSONValue {
        func number(_ value: Double) -> JSONValue { .number(JSONNumber((value * 100).rounded() / 100)) }
        return [
            "verdict": .string(verdict.rawValue),
            "cache_monthly_savings": number(cacheMonthlySavings),
            "fine_tuned_monthly_spend": number(fineTunedMonthlySpend),
            "fine_tuned_model_scope": fineTunedModelScope.map(JSONValue.string) ?? nil,
            "fine_tuning_monthly_savings": number(fineTuningMonthlySavings),
            "both_monthly_savings": number(bothMonthlySavings),
            "fine_tuning_break_even_month": fineTuningBreakEvenMonth.map { .number(JSONNumber($0)) } ?? nil,
            "net_savings": .object(Dictionary(uniqueKeysWithValues: netSavings.map { ($0.key.rawValue, number($0.value)) })),
            "rule_of_thumb_says_cache": .bool(ruleOfThumbSaysCache),
            "explanation": .string(explanation),
        ]
    }
}
