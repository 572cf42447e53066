/// Finds prompts whose right answer changes with time ("what is the latest…", "today", dates) or that
/// carry personal data (e-mail addresses, phone numbers), so caching can be shortened or skipped.
///
/// Off unless configured. Time-sensitive words are matched as whole words or phrases, ignoring case,
/// in the text users wrote (``PromptText/user``); personal data anywhere in the prompt
/// (``PromptText/all``), since a system prompt can carry a user's profile too.
public struct VolatilityDetector: Sendable {
    /// What a detection does to caching.
    public enum Action: String, Sendable, Hashable, Codable {
        /// No lookup, no store.
        case bypass
        /// Cached, but for no longer than the detector's time to live.
        case shorten = "ttl"
    }

    /// What was found, for logs and the analyzer.
    public enum Finding: Sendable, Hashable {
        case timeSensitive(String)
        case personalData(String)

        /// The kind, as a short label: `time-sensitive` or `personal-data`.
        public var kind: String {
            switch self {
            case .timeSensitive: "time-sensitive"
            case .personalData: "personal-data"
            }
        }
    }

    /// The default words and phrases that mark a prompt about the present.
    public static let defaultTimeWords = [
        "today", "tonight", "now", "right now", "currently", "current", "latest", "newest", "recent",
        "recently", "this week", "this month", "this year", "yesterday", "tomorrow", "breaking", "live",
        "up to date", "up-to-date", "current price", "stock price", "exchange rate", "weather", "forecast",
        "news", "score",
    ]

    public var timeWords: [String]
    public var detectsDates: Bool
    public var timeAction: Action
    public var timeSensitiveTimeToLive: Duration
    public var personalWords: [String]
    public var detectsEmailAddresses: Bool
    public var detectsPhoneNumbers: Bool
    public var personalAction: Action
    public var personalTimeToLive: Duration

    private let timePattern: TextPattern?
    private let personalPattern: TextPattern?

    public init(
        timeWords: [String] = Self.defaultTimeWords, detectsDates: Bool = true, timeAction: Action = .shorten,
        timeSensitiveTimeToLive: Duration = .seconds(60), personalWords: [String] = [],
        detectsEmailAddresses: Bool = true, detectsPhoneNumbers: Bool = true, personalAction: Action = .bypass,
        personalTimeToLive: Duration = .seconds(60)
    ) throws {
        self.timeWords = timeWords
        self.detectsDates = detectsDates
        self.timeAction = timeAction
        self.timeSensitiveTimeToLive = timeSensitiveTimeToLive
        self.personalWords = personalWords
        self.detectsEmailAddresses = detectsEmailAddresses
        self.detectsPhoneNumbers = detectsPhoneNumbers
        self.personalAction = personalAction
        self.personalTimeToLive = personalTimeToLive
        var timeAlternatives = timeWords.isEmpty ? [] : [Self.wordAlternation(timeWords)]
        if detectsDates { timeAlternatives.append(contentsOf: Self.datePatterns) }
        self.timePattern = timeAlternatives.isEmpty ? nil : try TextPattern(timeAlternatives.joined(separator: "|"), caseInsensitive: true)
        var personalAlternatives = personalWords.isEmpty ? [] : [Self.wordAlternation(personalWords)]
        if detectsEmailAddresses { personalAlternatives.append(Self.emailPattern) }
        self.personalPattern = personalAlternatives.isEmpty ? nil : try TextPattern(personalAlternatives.joined(separator: "|"), caseInsensitive: true)
    }

    /// The first reason `prompt` is volatile, personal data first (it is the graver risk).
    public func finding(in prompt: PromptText) -> Finding? {
        if let match = personalPattern?.firstMatch(in: prompt.all) { return .personalData(match) }
        if detectsPhoneNumbers, let phone = Self.phoneNumber(in: prompt.all) { return .personalData(phone) }
        if let match = timePattern?.firstMatch(in: prompt.user) { return .timeSensitive(match) }
        return nil
    }

    /// What `finding` does to caching, and for how long an entry may live if it is still cached.
    public func consequence(of finding: Finding) -> (action: Action, timeToLive: Duration) {
        switch finding {
        case .timeSensitive: (timeAction, timeSensitiveTimeToLive)
        case .personalData: (personalAction, personalTimeToLive)
        }
    }

    private static let emailPattern = #"[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}"#
    private static let datePatterns = [
        #"\b\d{4}-\d{1,2}-\d{1,2}\b"#,
        #"\b\d{1,2}/\d{1,2}/\d{2,4}\b"#,
        #"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\.? \d{1,2}(st|nd|rd|th)?\b"#,
        #"\b\d{1,2}(st|nd|rd|th)? (of )?(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b"#,
    ]
    private static let phoneCandidates = try! TextPattern(#"\+?\(?\d[\d ().-]{7,}\d"#)

    private static func wordAlternation(_ words: [String]) -> String {
        let escaped = words.map { word in
            word.map { character in
                character.isLetter || character.isNumber || character == " " ? String(character) : "\\" + String(character)
            }.joined()
        }
        return #"(?<![\p{L}\p{N}])("# + escaped.joined(separator: "|") + #")(?![\p{L}\p{N}])"#
    }

    /// A run of 9 to 15 digits written with phone separators, which dates and plain numbers rarely are.
    private static func phoneNumber(in text: String) -> String? {
        for candidate in phoneCandidates.matches(in: text) {
            let digits = candidate.filter(\.isNumber).count
            let separated = candidate.contains(where: { " ().-".contains($0) }) || candidate.hasPrefix("+")
            let isIPv4Address = candidate.split(separator: ".").count == 4 && candidate.allSatisfy { $0.isNumber || $0 == "." }
            if (9...15).contains(digits), separated, !isIPv4Address { return candidate }
        }
        return nil
    }
}
