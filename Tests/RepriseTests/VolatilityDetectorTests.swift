import Reprise
import Testing

@Suite struct VolatilityDetectorTests {
    let detector: VolatilityDetector

    init() throws {
        detector = try VolatilityDetector()
    }

    func finding(_ text: String) -> VolatilityDetector.Finding? {
        detector.finding(in: PromptText(all: text, user: text))
    }

    @Test(arguments: [
        ("What is happening now?", "now"), ("NOW, tell me", "NOW"), ("Weather in Paris", "Weather"),
        ("Who won the game yesterday", "yesterday"), ("Give me the latest figures", "latest"),
        ("Is the site up-to-date?", "up-to-date"), ("What is the stock price of ACME", "stock price"),
        ("tell me right now", "right now"),
    ])
    func timeWordsAreFoundAsWholeWords(prompt: String, word: String) {
        #expect(finding(prompt) == .timeSensitive(word))
    }

    @Test(arguments: [
        "I have known this for years", "There is snowfall in the mountains", "Nowhere is safe",
        "Describe the living room", "Summarize the scores of Bach", "Explain photosynthesis",
    ])
    func wordsContainingTimeWordsAreNotTimeSensitive(_ prompt: String) {
        #expect(finding(prompt) == nil)
    }

    @Test(arguments: [
        ("What happened on 2026-11-26?", "2026-11-26"), ("Plan my day on March 3", "March 3"),
        ("Book it for 3rd of March", "3rd of March"), ("Due 11/26/2026", "11/26/2026"), ("due dec. 24th", "dec. 24th"),
    ])
    func datesAreTimeSensitive(prompt: String, date: String) {
        #expect(finding(prompt) == .timeSensitive(date))
    }

    @Test func emailAddressesArePersonalData() {
        #expect(finding("Send the report to alice.smith+news@example.co.uk") == .personalData("alice.smith+news@example.co.uk"))
        #expect(finding("Contact me at Bob@Example.COM") == .personalData("Bob@Example.COM"))
        #expect(finding("Use the @example handle") == nil)
    }

    @Test(arguments: ["+1 (415) 555-0100", "415-555-0100", "+44 20 7946 0958", "(415) 555 0100"])
    func phoneNumbersArePersonalData(_ phone: String) {
        #expect(finding("Call me on \(phone) please") == .personalData(phone))
    }

    @Test(arguments: [
        "Compare revenue for 2019-2020", "Upgrade to version 1.2.3", "Order 123456789012 shipped",
        "Pi is 3.14159", "The range 10-20 is fine", "Ping 192.168.100.200 from the host",
    ])
    func numbersThatAreNotPhoneNumbersAreNotPersonalData(_ prompt: String) {
        #expect(finding(prompt) == nil)
    }

    @Test func personalDataIsReportedBeforeTimeWords() {
        #expect(finding("Email today's news to carol@example.org") == .personalData("carol@example.org"))
    }

    @Test func timeWordsCountOnlyInWhatUsersWroteButPersonalDataCountsAnywhere() {
        let system = "Today is a good day. Answer briefly."
        #expect(detector.finding(in: PromptText(all: system + "\nExplain tides", user: "Explain tides")) == nil)
        let profile = "The user's e-mail is dana@example.net."
        #expect(detector.finding(in: PromptText(all: profile + "\nExplain tides", user: "Explain tides")) == .personalData("dana@example.net"))
    }

    @Test func detectionsCanBeTurnedOff() throws {
        let quiet = try VolatilityDetector(timeWords: [], detectsDates: false, detectsEmailAddresses: false, detectsPhoneNumbers: false)
        #expect(quiet.finding(in: PromptText(all: "now 2026-11-26 a@b.io +1 (415) 555-0100", user: "now 2026-11-26")) == nil)
    }

    @Test func customWordsAreMatchedAsWholeWordsToo() throws {
        let custom = try VolatilityDetector(timeWords: ["q3 results"], detectsDates: false, personalWords: ["my account", "c++"])
        #expect(custom.finding(in: PromptText(all: "Q3 results please", user: "Q3 results please")) == .timeSensitive("Q3 results"))
        #expect(custom.finding(in: PromptText(all: "check my account", user: "")) == .personalData("my account"))
        #expect(custom.finding(in: PromptText(all: "learn C++ fast", user: "")) == .personalData("C++"))
        #expect(custom.finding(in: PromptText(all: "my accountant", user: "")) == nil)
    }

    @Test func consequenceFollowsTheConfiguredActions() throws {
        let configured = try VolatilityDetector(
            timeAction: .bypass, timeSensitiveTimeToLive: .seconds(15), personalAction: .shorten, personalTimeToLive: .seconds(5))
        #expect(configured.consequence(of: .timeSensitive("now")) == (.bypass, .seconds(15)))
        #expect(configured.consequence(of: .personalData("x@y.io")) == (.shorten, .seconds(5)))
        #expect(VolatilityDetector.Finding.timeSensitive("now").kind == "time-sensitive")
        #expect(VolatilityDetector.Finding.personalData("x").kind == "personal-data")
    }
}
