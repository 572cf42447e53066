import ServiceLifecycle

/// Owns the upstream HTTP client's lifetime: shuts its connection pool down when the gateway stops.
struct UpstreamClientService: Service {
    let client: UpstreamClient

    func run() async throws {
        try? await gracefulShutdown()
        await client.shutdown()
    }
}
