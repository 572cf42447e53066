import Reprise

/// Volume and repetition over the period of a log: requests, exact repeats and spend per time bucket, an
/// hour or a day wide depending on how long the log runs.
public struct UsageTimeline: Sendable {
    /// Counts for one bucket.
    public struct Bucket: Sendable, Hashable {
        public var requests = 0
        /// Requests that repeat an earlier one exactly (anywhere earlier in the log).
        public var repeats = 0
        public var dollars = 0.0

        public init(requests: Int = 0, repeats: Int = 0, dollars: Double = 0) {
            self.requests = requests
            self.repeats = repeats
            self.dollars = dollars
        }

        public var repeatRate: Double { requests == 0 ? 0 : Double(repeats) / Double(requests) }

        mutating func count(repeated: Bool, dollars: Double) {
            requests += 1
            if repeated { repeats += 1 }
            self.dollars += dollars
        }

        mutating func add(_ other: Bucket) {
            requests += other.requests
            repeats += other.repeats
            dollars += other.dollars
        }
    }

    /// The width of every bucket: one hour, or one day for logs spanning more than three days.
    public var bucketSeconds: Int
    /// Buckets in time order, each with its start; empty buckets between busy ones are included.
    public var buckets: [(start: EpochInstant, counts: Bucket)]

    /// At most this many buckets are kept; a longer log is cut to its last buckets.
    public static let maximumBuckets = 2_000

    /// Groups hourly counts (keyed by hours since the epoch) into hours, or days when they span more than
    /// three days.
    public init(hourly: [Int: Bucket]) {
        guard let first = hourly.keys.min(), let last = hourly.keys.max() else {
            bucketSeconds = 3600
            buckets = []
            return
        }
        let hoursPerBucket = last - first > 72 ? 24 : 1
        let width = hoursPerBucket * 3600
        bucketSeconds = width
        var grouped: [Int: Bucket] = [:]
        for (hour, counts) in hourly { grouped[hour / hoursPerBucket, default: Bucket()].add(counts) }
        let firstBucket = first / hoursPerBucket
        let lastBucket = last / hoursPerBucket
        let start = max(firstBucket, lastBucket - Self.maximumBuckets + 1)
        buckets = (start...lastBucket).map { bucket in
            (EpochInstant(sinceEpoch: .seconds(Int64(bucket * width))), grouped[bucket] ?? Bucket())
        }
    }
}
