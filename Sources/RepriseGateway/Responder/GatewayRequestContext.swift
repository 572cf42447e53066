import Hummingbird
import NIOCore

/// Hummingbird's basic context, plus the event loop that owns the request's connection (see
/// ``EventLoopAffinity``).
struct GatewayRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The loop the connection's I/O runs on.
    let eventLoop: any EventLoop

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.eventLoop = source.channel.eventLoop
    }
}
