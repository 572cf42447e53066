/// One memcached server: host and port.
public struct MemcachedServer: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 11211) {
        self.host = host
        self.port = port
    }

    public var description: String { "\(host):\(port)" }
}
