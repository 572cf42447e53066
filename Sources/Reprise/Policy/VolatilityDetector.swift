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

    private let timeMatcher: WordMatcher
    private let personalMatcher: WordMatcher
    private let datePattern: TextPattern?
    private let emailPattern: TextPattern?

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
        self.timeMatcher = WordMatcher(timeWords)
        self.personalMatcher = WordMatcher(personalWords)
        self.datePattern = detectsDates ? try TextPattern(Self.datePatterns.joined(separator: "|"), caseInsensitive: true) : nil
        self.emailPattern = detectsEmailAddresses ? try TextPattern(Self.emailPattern, caseInsensitive: true) : nil
    }

    /// The first reason `prompt` is volatile, personal data first (it is the graver risk).
    ///
    /// Regular expressions run only on texts that could match them (an `@` for e-mail addresses, digits
    /// for dates and phone numbers), so most prompts cost one pass over their words.
    public func finding(in prompt: PromptText) -> Finding? {
        let all = prompt.all
        if let match = personalMatcher.firstMatch(in: all) { return .personalData(String(match)) }
        if let emailPattern, all.utf8.contains(UInt8(ascii: "@")), let match = emailPattern.firstMatch(in: all) {
            return .personalData(match)
        }
        if detectsPhoneNumbers, Self.mayHoldPhoneNumber(all), let phone = Self.phoneNumber(in: all) { return .personalData(phone) }
        let user = prompt.user
        let word = timeMatcher.firstMatch(in: user)
        let date = Self.mayHoldDate(user) ? datePattern.flatMap { pattern in pattern.firstMatchRange(in: user) } : nil
        // The leftmost of a time word and a date, as a single regular expression would find.
        switch (word, date) {
        case (let word?, let date?): return .timeSensitive(word.startIndex <= date.lowerBound ? String(word) : String(user[date]))
        case (let word?, nil): return .timeSensitive(String(word))
        case (nil, let date?): return .timeSensitive(String(user[date]))
        case (nil, nil): return nil
        }
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

    /// Whether `text` has a run of digits and phone separators holding at least 9 digits, without which
    /// ``phoneNumber(in:)`` cannot match: most texts are ruled out in one pass over their bytes.
    private static func mayHoldPhoneNumber(_ text: String) -> Bool {
        var digitsInRun = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digitsInRun += 1
                if digitsInRun >= 9 { return true }
            case UInt8(ascii: " "), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"): continue
            default: digitsInRun = 0
            }
        }
        return false
    }

    /// Whether `text` has a digit next to a date separator or a month's name, without which the date
    /// patterns cannot match: most texts are ruled out without running them.
    private static func mayHoldDate(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        if bytes.contains(UInt8(ascii: "-")) || bytes.contains(UInt8(ascii: "/")) { return true }
        return monthNames.firstMatch(in: text) != nil
    }

    private static let monthNames = WordMatcher([
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
        "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    ])

    /// A run of 9 to 15 digits written with phone separators, which dates and plain numbers rarely are.
    private static func phoneNumber(in text: String) -> String? {
        for candidate in phoneCandidates.matches(in: text) {
            let digits = candidate.filter(\.isNumber).count
            let separated = candidate.contains(where: { " ().-".contains($0) }) || candidate.hasPrefix("+")
            if (9...15).contains(digits), separated, !IPAddressLiteral.isIPv4(candidate) { return candidate }
        }
        return nil
    }
}
