@testable import RepriseAnalysis
import Testing

/// The value axes and coordinates the SVG charts are drawn with.
@Suite struct ChartScaleTests {
    @Test func axisEndsOnARoundNumberAboveTheLargestValue() {
        let scale = ChartScale(values: [0.0018, 0.0009])
        #expect(scale.maximum >= 0.0018 && scale.maximum <= 0.0025)
        #expect(scale.ticks.first == 0)
        #expect(abs((scale.ticks.last ?? 0) - scale.maximum) < 1e-12)
        #expect(scale.position(of: scale.maximum) == 1)
        #expect(ChartScale(values: [1565]).ticks == [0, 500, 1000, 1500, 2000])
    }

    @Test func sharesStopAtOneHundredPercentAndCountsAtWholeSteps() {
        #expect(ChartScale(values: [0.97], ceiling: 1).maximum == 1)
        #expect(ChartScale(values: [1], minimumStep: 1).ticks == [0, 1])
    }

    @Test func nothingButZerosOrNonFiniteValuesGivesAUsableAxis() {
        for values in [[], [0.0], [.nan, .infinity, -.infinity], [-3.0]] {
            let scale = ChartScale(values: values)
            #expect(scale.maximum == 1)
            #expect(scale.ticks.allSatisfy { $0.isFinite })
            #expect(scale.position(of: .nan) == 0)
        }
        #expect(ChartScale(values: [.leastNonzeroMagnitude]).ticks.allSatisfy { $0.isFinite })
    }

    @Test func coordinatesAreAlwaysFiniteNumbers() {
        #expect(SVGCanvas.number(12.34) == "12.3")
        #expect(SVGCanvas.number(-0.46) == "-0.5")
        #expect(SVGCanvas.number(7) == "7")
        #expect(SVGCanvas.number(.nan) == "0")
        #expect(SVGCanvas.number(.infinity) == "0")
        #expect(SVGCanvas.number(1e300) == "1000000")
    }
}
