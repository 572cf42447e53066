import Testing

@testable import RepriseGateway

@Suite struct UpstreamEndpointTests {
    @Test func anHTTPSURLUsesTLSOnPort443() throws {
        let endpoint = try #require(UpstreamEndpoint(baseURL: "https://api.openai.com"))
        #expect(endpoint == UpstreamEndpoint(usesTLS: true, host: "api.openai.com", port: 443, hostHeader: "api.openai.com"))
        #expect(!endpoint.hostIsIPAddress)
    }

    @Test func aPortOtherThanTheDefaultIsInTheHostHeader() throws {
        let endpoint = try #require(UpstreamEndpoint(baseURL: "http://127.0.0.1:8080/v1"))
        #expect(endpoint == UpstreamEndpoint(usesTLS: false, host: "127.0.0.1", port: 8080, hostHeader: "127.0.0.1:8080", basePath: "/v1"))
        #expect(endpoint.hostIsIPAddress)
    }

    @Test func theBaseURLsPathIsKeptWithoutItsTrailingSlash() throws {
        let endpoint = try #require(UpstreamEndpoint(baseURL: "https://gateway.example.com/accounts/7/openai/"))
        #expect(endpoint.basePath == "/accounts/7/openai")
        #expect(endpoint.hostHeader == "gateway.example.com")
    }

    @Test func anIPv6LiteralKeepsItsBracketsInTheHostHeaderOnly() throws {
        let endpoint = try #require(UpstreamEndpoint(baseURL: "http://[::1]:9000"))
        #expect(endpoint.host == "::1")
        #expect(endpoint.hostHeader == "[::1]:9000")
        #expect(endpoint.hostIsIPAddress)
    }

    @Test(arguments: ["ftp://example.com", "http://", "http://host:99999", "http://host:port", "example.com"])
    func anUnusableURLIsRejected(_ url: String) {
        #expect(UpstreamEndpoint(baseURL: url) == nil)
    }
}
