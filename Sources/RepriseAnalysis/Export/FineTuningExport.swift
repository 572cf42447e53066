import Reprise

/// Chooses which logged calls become fine-tuning examples and where each goes: filtered by model, route
/// and how often its prompt repeats, kept out when it carries personal data, deduplicated on the prompt,
/// and split between training and a held-out validation set.
///
/// The split is decided by the prompt's digest, not by chance, so running the export again on a grown
/// log keeps every earlier example on the same side.
public struct FineTuningExport: Sendable {
    /// Only calls to models matching this pattern; `nil` for all.
    public var model: Glob?
    /// Only calls to this route, such as `/v1/chat/completions`; `nil` for all.
    public var route: String?
    /// Only prompts that occur at least this often in the log (after folding case, white space and
    /// punctuation): 1 keeps every prompt, 2 or more keeps repeated clusters only.
    public var minimumRepeats = 1
    /// The share of examples held out for validation, 0 to 1.
    public var validationShare = 0.1
    /// At most this many examples in all; `nil` for no limit.
    public var maximumExamples: Int?
    /// Whether prompts with personal data (as the volatility detector finds it) may be exported.
    public var includesPersonalData = false

    /// Where an example went, or why a call was left out.
    public enum Placement: Sendable, Hashable {
        case training(FineTuningExample)
        case validation(FineTuningExample)
        case skipped(Reason)
    }

    /// Why a call was left out.
    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        case rejected(FineTuningExample.Rejection)
        case filtered
        case duplicate
        case personalData
        case limitReached

        public var description: String {
            switch self {
            case .rejected(let rejection): rejection.rawValue
            case .filtered: "left out by --model, --route or --min-repeats"
            case .duplicate: "same prompt as an earlier example"
            case .personalData: "personal data in the prompt"
            case .limitReached: "beyond --max-examples"
            }
        }
    }

    private let detector = try? VolatilityDetector()
    private var exported: Set<UInt64> = []
    private var repeats: [UInt64: Int] = [:]

    public init() {}

    /// Whether ``minimumRepeats`` needs a first pass over the log through ``countRepeat(of:)``.
    public var needsRepeatCounts: Bool { minimumRepeats > 1 }

    /// Counts `record`'s prompt, on a first pass when ``needsRepeatCounts``.
    public mutating func countRepeat(of record: UsageRecord) {
        guard let digest = PromptFingerprint.normalized(record) ?? PromptFingerprint.exact(record) else { return }
        repeats[digest, default: 0] += 1
    }

    /// Decides where `record` goes.
    public mutating func place(_ record: UsageRecord) -> Placement {
        if let model, !model.matches(record.model ?? "") { return .skipped(.filtered) }
        if let route, record.route != route { return .skipped(.filtered) }
        if needsRepeatCounts {
            let digest = PromptFingerprint.normalized(record) ?? PromptFingerprint.exact(record)
            guard let digest, repeats[digest, default: 0] >= minimumRepeats else { return .skipped(.filtered) }
        }
        let example: FineTuningExample
        switch FineTuningExample.make(from: record) {
        case .success(let made): example = made
        case .failure(let rejection): return .skipped(.rejected(rejection))
        }
        if !includesPersonalData, let detector, let prompt = record.prompt, case .personalData? = detector.finding(in: prompt) {
            return .skipped(.personalData)
        }
        let digest = PromptFingerprint.digest(of: example.promptBytes)
        guard !exported.contains(digest) else { return .skipped(.duplicate) }
        if let maximumExamples, exported.count >= maximumExamples { return .skipped(.limitReached) }
        exported.insert(digest)
        let position = Double(digest % 1_000_000) / 1_000_000
        return position < validationShare ? .validation(example) : .training(example)
    }
}
