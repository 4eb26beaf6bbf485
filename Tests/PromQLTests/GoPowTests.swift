import Testing
@testable import PromQL

/// `^` follows Go's `math.Pow`, special cases and integer powers bit for bit.
@Suite struct GoPowTests {
    static let cases: [(Double, Double, Double)] = [
        (10.0, 64.0, 1.0000000000000002e64),   // what promtool 2.42 prints; glibc gives 1e64
        (10, 24, 1e24), (2, 10, 1024), (2, -2, 0.25), (-2, 3, -8), (1.5, 2, 2.25),
        (4, 0.5, 2), (4, -0.5, 0.5), (0, -1, .infinity), (-0.0, -1, -.infinity), (-0.0, 3, -0.0),
        (0, 2, 0), (-1, .infinity, 1), (0.5, .infinity, 0), (2, -.infinity, 0), (-.infinity, 3, -.infinity),
        (-.infinity, -3, -0.0), (.infinity, -1, 0), (7, 0, 1), (1, .nan, 1), (.nan, 0, 1),
    ]

    @Test(arguments: cases)
    func matchesGo(_ x: Double, _ y: Double, _ expected: Double) {
        let got = GoPow.pow(x, y)
        #expect(got == expected && got.sign == expected.sign, "\(x) ^ \(y) = \(got)")
    }

    @Test func fractionalPowerOfNegativeIsNaN() {
        #expect(GoPow.pow(-8, 1.0 / 3).isNaN)
        #expect(GoPow.pow(.nan, 2).isNaN)
    }
}
