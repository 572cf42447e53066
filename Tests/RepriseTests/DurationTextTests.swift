import Reprise
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("90", Duration.seconds(90)), ("90s", .seconds(90)), ("500ms", .milliseconds(500)), ("5m", .seconds(300)),
        ("24h", .seconds(86_400)), ("7d", .seconds(604_800)), ("1h30m", .seconds(5_400)), ("1m30s250ms", .milliseconds(90_250)),
        ("  5m\n", .seconds(300)), ("0", .zero), ("0s", .zero),
    ])
    func readsDurationsWrittenForPeople(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "   ", "abc", "5x", "-5", "-5m", "1.5h", "5 m", "m5", "5mm", "h", "5m-", "1h 30m"])
    func rejectsWhatIsNotADuration(_ text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(300), "5m"), (.seconds(90), "90s"), (.seconds(3_600), "1h"), (.seconds(7_200), "2h"),
        (.seconds(86_400), "1d"), (.seconds(5_400), "90m"), (.milliseconds(1_500), "1500ms"), (.zero, "0s"),
        (.seconds(604_800), "7d"), (.seconds(61), "61s"),
    ])
    func formatsInTheLargestWholeUnit(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test(arguments: [Duration.seconds(300), .milliseconds(250), .seconds(86_400 * 3), .seconds(3_661), .zero])
    func formattedDurationsReadBackUnchanged(_ duration: Duration) {
        #expect(DurationText.parse(DurationText.format(duration)) == duration)
    }

    @Test func durationConveniences() {
        let duration = Duration.milliseconds(2_750)
        #expect(duration.wholeSeconds == 2)
        #expect(duration.secondsValue == 2.75)
        #expect(duration.millisecondsValue == 2_750)
    }
}
