import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Each credential has its own cache unless the deployment says otherwise; `X-Reprise-Namespace` narrows.
@Suite struct NamespaceTests {
    @Test func twoCredentialsNeverShareAnEntry() async throws {
        try await GatewayHarness.run { gateway in
            let alice = try await gateway.chat("What is my balance?", headers: .bearer("a"))
            let bob = try await gateway.chat("What is my balance?", headers: .bearer("b"))
            #expect(alice.repriseStatus == "miss")
            #expect(bob.repriseStatus == "miss")
            #expect(bob.cacheKey != alice.cacheKey)
            #expect(bob.answerID != alice.answerID)
            #expect(gateway.upstream.callCount() == 2)

            let aliceAgain = try await gateway.chat("What is my balance?", headers: .bearer("a"))
            #expect(aliceAgain.repriseStatus == "hit")
            #expect(aliceAgain.bytes == alice.bytes)
        }
    }

    @Test func namespaceHeaderNarrowsTheCredentialsCache() async throws {
        try await GatewayHarness.run { gateway in
            var forUser1 = HTTPFields.bearer("a")
            forUser1[.repriseNamespace] = "user-1"
            var forUser2 = HTTPFields.bearer("a")
            forUser2[.repriseNamespace] = "user-2"

            let plain = try await gateway.chat("Recommend a book.", headers: .bearer("a"))
            let user1 = try await gateway.chat("Recommend a book.", headers: forUser1)
            let user2 = try await gateway.chat("Recommend a book.", headers: forUser2)
            #expect(user1.repriseStatus == "miss")
            #expect(user2.repriseStatus == "miss")
            #expect(Set([plain.cacheKey, user1.cacheKey, user2.cacheKey]).count == 3)

            let user1Again = try await gateway.chat("Recommend a book.", headers: forUser1)
            #expect(user1Again.repriseStatus == "hit")
            #expect(user1Again.bytes == user1.bytes)
            #expect(gateway.upstream.callCount() == 3)
        }
    }

    @Test func namespaceHeaderCannotReachAnotherCredentialsEntries() async throws {
        try await GatewayHarness.run { gateway in
            var narrowed = HTTPFields.bearer("a")
            narrowed[.repriseNamespace] = "team"
            try await gateway.chat("Plan a trip.", headers: narrowed)
            var other = HTTPFields.bearer("b")
            other[.repriseNamespace] = "team"
            let answer = try await gateway.chat("Plan a trip.", headers: other)
            #expect(answer.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func sharedNamespaceConfigurationSharesAcrossCredentials() async throws {
        try await GatewayHarness.run(configure: { $0.sharesNamespaceAcrossCredentials = true }) { gateway in
            let alice = try await gateway.chat("What is the capital of Peru?", headers: .bearer("a"))
            let bob = try await gateway.chat("What is the capital of Peru?", headers: .bearer("b"))
            #expect(bob.repriseStatus == "hit")
            #expect(bob.bytes == alice.bytes)
            #expect(bob.cacheKey == alice.cacheKey)
            #expect(gateway.upstream.callCount() == 1)
        }
    }
}
