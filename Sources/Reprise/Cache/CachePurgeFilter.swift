/// Which entries an administrative purge removes. Conditions combine: an entry must meet every one set.
public struct CachePurgeFilter: Sendable, Hashable {
    /// Entries of this namespace and of namespaces narrowed from it (`namespace.…`).
    public var namespace: String?
    /// Entries answering this model.
    public var model: String?

    public init(namespace: String? = nil, model: String? = nil) {
        self.namespace = namespace
        self.model = model
    }

    /// Every entry.
    public static let everything = CachePurgeFilter()

    /// Whether `entry` is removed by this filter.
    public func matches(_ entry: CacheEntry) -> Bool {
        if let namespace, entry.namespace != namespace, !entry.namespace.hasPrefix(namespace + ".") { return false }
        if let model, entry.model != model { return false }
        return true
    }
}
