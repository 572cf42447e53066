import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a gateway until SIGTERM or SIGINT, then stops it within a bound.
///
/// On the signal the server stops accepting connections and closes idle ones; requests in progress
/// (streams included) and the upstream calls they wait on go on for at most `grace`
/// (`server.shutdown_grace`). What is still running then is cancelled, so the process exits in about `grace`
/// whatever its clients do.
public enum GracefulShutdown {
    public static func run(
        _ gateway: some Service, grace: Duration, signals: [UnixSignal] = [.sigterm, .sigint], logger: Logger
    ) async throws {
        var configuration = ServiceGroupConfiguration(services: [gateway], gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = grace
        // Cancelled work ends at its next suspension; this bounds a job that ignores cancellation.
        configuration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: configuration).run()
    }
}
