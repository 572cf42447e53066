#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How long a client connection may take over each part of a request, and how many may be open at once.
///
/// - `server.head_timeout` (10 s): a request's head must arrive within this of its first byte (of the
///   connection's opening, for the first request).
/// - `server.body_timeout` (60 s): its body within this of its head.
/// - `server.idle_timeout` (60 s): a kept-alive connection may wait this long for its next request.
/// - `server.max_connections`: at most this many client connections; by default derived from the file
///   descriptor limit (``defaultMaximumConnections(descriptorLimit:)``).
struct ConnectionLimits: Sendable {
    var headTimeout: Duration
    var bodyTimeout: Duration
    var idleTimeout: Duration
    var maximumConnections: Int

    init(headTimeout: Duration, bodyTimeout: Duration, idleTimeout: Duration, maximumConnections: Int? = nil) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections ?? Self.defaultMaximumConnections(descriptorLimit: Self.descriptorLimit())
    }

    /// Half the file descriptors left after 64 for the process's own files and stores, since each client
    /// connection may hold an upstream connection too; at least 16 and at most 10,000.
    static func defaultMaximumConnections(descriptorLimit: Int) -> Int {
        min(max((descriptorLimit - 64) / 2, 16), 10_000)
    }

    /// The process's soft limit on open files (`ulimit -n`).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return limit.rlim_cur == rlim_t.max ? Int.max / 2 : Int(clamping: limit.rlim_cur)
    }
}
