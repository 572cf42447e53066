import Reprise
import Testing

@Suite struct RequestControlsTests {
    @Test func noHeadersMeanNoControls() throws {
        #expect(try RequestControls(cacheControl: nil, timeToLive: nil, namespace: nil) == RequestControls())
    }

    @Test func cacheControlDirectivesAreRead() throws {
        let controls = try RequestControls(cacheControl: "no-cache, no-store, max-age=30", timeToLive: nil, namespace: nil)
        #expect(controls.noCache)
        #expect(controls.noStore)
        #expect(controls.maximumAge == .seconds(30))
    }

    @Test(arguments: [
        ("NO-CACHE", true, false, nil), (" max-age = 10 ", false, false, 10), (#"max-age="45""#, false, false, 45),
        ("max-age=abc, no-store", false, true, nil), ("max-age=-5", false, false, nil), ("bogus, =, ,,", false, false, nil),
        ("max-age=abc, max-age=20", false, false, 20), ("private, no-cache=\"set-cookie\"", true, false, nil), ("", false, false, nil),
    ] as [(String, Bool, Bool, Int?)])
    func cacheControlIsReadLeniently(header: String, noCache: Bool, noStore: Bool, maximumAge: Int?) throws {
        let controls = try RequestControls(cacheControl: header, timeToLive: nil, namespace: nil)
        #expect(controls.noCache == noCache)
        #expect(controls.noStore == noStore)
        #expect(controls.maximumAge == maximumAge.map { .seconds($0) })
    }

    @Test func timeToLiveHeaderIsWholeSeconds() throws {
        #expect(try RequestControls(cacheControl: nil, timeToLive: "120", namespace: nil).timeToLive == .seconds(120))
        #expect(try RequestControls(cacheControl: nil, timeToLive: " 0 ", namespace: nil).timeToLive == .zero)
    }

    @Test(arguments: ["abc", "-5", "1.5", "", "10s", "1e3"])
    func malformedTimeToLiveIsRejectedQuotingTheValue(_ value: String) {
        let error = #expect(throws: RequestControlError.self) {
            try RequestControls(cacheControl: nil, timeToLive: value, namespace: nil)
        }
        #expect(error?.header == "X-Reprise-TTL")
        #expect(error?.message.contains("'\(value)'") == true)
    }

    @Test func namespaceIsTrimmed() throws {
        #expect(try RequestControls(cacheControl: nil, timeToLive: nil, namespace: "  user-42 ").namespace == "user-42")
        let longest = String(repeating: "n", count: RequestControls.maximumNamespaceLength)
        #expect(try RequestControls(cacheControl: nil, timeToLive: nil, namespace: longest).namespace == longest)
    }

    @Test(arguments: ["", "   ", String(repeating: "n", count: RequestControls.maximumNamespaceLength + 1), String(repeating: "é", count: 129)])
    func emptyOrOversizedNamespaceIsRejected(_ value: String) {
        let error = #expect(throws: RequestControlError.self) {
            try RequestControls(cacheControl: nil, timeToLive: nil, namespace: value)
        }
        #expect(error?.header == "X-Reprise-Namespace")
        #expect(error?.message.contains("256") == true)
    }
}
