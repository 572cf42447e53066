import Reprise

/// The demo's traffic: a burst of questions with a Zipf-like popularity (a few asked very often, most
/// rarely), some streamed, and bursts of identical requests sent at the same moment, as a page load
/// fanning out or a retry storm would.
public struct DemoTraffic: Sendable {
    /// One request to send.
    public struct Request: Sendable, Hashable {
        public var question: String
        public var streams: Bool
    }

    /// A group of requests sent together: one request, or a burst of identical ones.
    public struct Wave: Sendable, Hashable {
        public var requests: [Request]
    }

    public var waves: [Wave]

    public var requestCount: Int { waves.map(\.requests.count).reduce(0, +) }
    public var burstCount: Int { waves.filter { $0.requests.count > 1 }.count }

    /// The questions a support assistant is asked, most popular first.
    public static let questions = [
        "What are your opening hours?", "How do I reset my password?", "What is your refund policy?",
        "How long does shipping take?", "Do you ship internationally?", "How do I cancel my subscription?",
        "Which payment methods do you accept?", "How do I change my delivery address?",
        "Can I return an item without a receipt?", "How do I contact customer support?",
        "What sizes does the classic jacket come in?", "Is the blue backpack waterproof?",
        "How do I apply a discount code?", "Why was my card declined?", "Can I change my order after placing it?",
        "Do you offer gift wrapping?", "How do I track my order?", "What warranty do your headphones have?",
        "Can I pick up my order in store?", "How do I delete my account?", "Do you have a student discount?",
        "What is the difference between the basic and pro plans?", "How do I export my data?",
        "Is there a mobile app?", "How do I enable two-factor authentication?", "What happens when my trial ends?",
        "Can I share my account with family?", "How do I update my billing details?",
        "Which countries is the service available in?", "How do I report a bug?", "What is your privacy policy?",
        "Do you price match?", "How do I recycle old products with you?", "Are your products vegan?",
        "How do I book a repair?", "Can I pay in instalments?", "How do I unsubscribe from emails?",
        "What do I do if my parcel is damaged?", "Is my data stored in the EU?", "Can I order by phone?",
    ]

    /// Plans `requests` requests with a deterministic generator seeded by `seed`.
    /// - Parameters:
    ///   - zipfExponent: how steeply popularity falls off (1.1: the top question takes about a fifth).
    ///   - streamedShare: the share of requests that stream.
    ///   - bursts: how many bursts of `burstSize` identical concurrent requests are mixed in.
    public init(requests: Int = 240, zipfExponent: Double = 1.1, streamedShare: Double = 0.25, bursts: Int = 6, burstSize: Int = 8, seed: UInt64 = 7) {
        var generator = SplitMix64(seed: seed)
        let weights = (1...Self.questions.count).map { 1 / pow(Double($0), zipfExponent) }
        let total = weights.reduce(0, +)
        func question() -> String {
            var pick = Double.random(in: 0..<total, using: &generator)
            for (index, weight) in weights.enumerated() {
                pick -= weight
                if pick < 0 { return Self.questions[index] }
            }
            return Self.questions[Self.questions.count - 1]
        }
        let singles = max(0, requests - bursts * burstSize)
        var waves = (0..<singles).map { _ in
            Wave(requests: [Request(question: question(), streams: Double.random(in: 0..<1, using: &generator) < streamedShare)])
        }
        // Bursts ask questions nobody asked yet, so the burst itself is what the cache must absorb.
        for burst in 0..<bursts {
            let text = "What is included in the winter bundle number \(burst + 1)?"
            let requests = (0..<burstSize).map { position in Request(question: text, streams: position % 2 == 1) }
            let position = Int.random(in: 0...waves.count, using: &generator)
            waves.insert(Wave(requests: requests), at: position)
        }
        self.waves = waves
    }
}


#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
