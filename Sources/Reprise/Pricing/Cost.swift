/// The price of one answer, and whether the model had a price at all.
public struct Cost: Sendable, Hashable {
    /// US dollars; zero when the model is unpriced.
    public var dollars: Double
    /// Whether the model was found in the price table. An unpriced model is reported as such, never
    /// guessed.
    public var isPriced: Bool

    public init(dollars: Double, isPriced: Bool) {
        self.dollars = dollars
        self.isPriced = isPriced
    }

    /// The cost of a model the price table does not know.
    public static let unpriced = Cost(dollars: 0, isPriced: false)
}

extension Double {
    /// Dollars rounded to a billionth, so sums of float prices print without binary noise
    /// (`0.00003`, not `0.000029999999999999997`).
    public var roundedDollars: Double {
        (self * 1e9).rounded() / 1e9
    }
}
