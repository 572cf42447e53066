import Reprise
import Testing

@Suite struct WordMatcherTests {
    let matcher = WordMatcher(["today", "up-to-date", "right now", "C++"])

    @Test(arguments: [
        ("What is the weather TODAY?", "TODAY"),
        ("Is this Up-To-Date, please", "Up-To-Date"),
        ("is it up to date", "up to date"),
        ("do it right  now!", "right  now"),
        ("Ünïcode first, then today", "today"),
        ("Ünïcode: RIGHT—NOW", "RIGHT—NOW"),
        ("I write c++ daily", "c++"),
    ])
    func findsWholeWordsAndPhrasesIgnoringCase(text: String, expected: String) {
        #expect(matcher.firstMatch(in: text).map(String.init) == expected)
    }

    @Test(arguments: ["todays news", "yesterday", "to day", "right", "uptodate", "Ünïcode todayish", ""])
    func partsOfWordsAndIncompletePhrasesDoNotMatch(text: String) {
        #expect(matcher.firstMatch(in: text) == nil)
    }

    @Test func theLeftmostMatchWins() {
        #expect(matcher.firstMatch(in: "right now, not today").map(String.init) == "right now")
        #expect(matcher.firstMatch(in: "today, not right now").map(String.init) == "today")
    }
}
