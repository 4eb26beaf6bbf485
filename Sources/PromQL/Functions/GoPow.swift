#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Go's `math.Pow`, step by step: Prometheus's `^` is computed by it, and it is not the
/// platform's correctly rounded `pow` (Go gives 10^64 = 1.0000000000000002e+64). Integer
/// powers are by repeated squaring of the mantissa, so they match Go bit for bit; the
/// fractional part goes through `exp(yf * log(x))` with the platform's `exp` and `log`.
enum GoPow {
    static func pow(_ x: Double, _ y: Double) -> Double {
        if let special = specialCase(x, y) { return special }
        var yi = (y.magnitude).rounded(.towardZero)
        var yf = y.magnitude - yi
        if yf != 0 && x < 0 { return .nan }
        if yi >= 9.223372036854775808e18 {
            if x == -1 { return 1 }
            return (x.magnitude < 1) == (y > 0) ? 0 : .infinity
        }
        var a1 = 1.0
        var ae = 0
        if yf != 0 {
            if yf > 0.5 {
                yf -= 1
                yi += 1
            }
            a1 = exp(yf * log(x))
        }
        var xe: Int32 = 0
        var x1 = frexp(x, &xe)
        var exponent = Int(xe)
        var i = Int64(yi)
        while i != 0 {
            if exponent < -(1 << 12) || (1 << 12) < exponent {
                ae += exponent   // catastrophic overflow: let ldexp saturate
                break
            }
            if i & 1 == 1 {
                a1 *= x1
                ae += exponent
            }
            x1 *= x1
            exponent <<= 1
            if x1 < 0.5 {
                x1 += x1
                exponent -= 1
            }
            i >>= 1
        }
        if y < 0 {
            a1 = 1 / a1
            ae = -ae
        }
        return ldexp(a1, Int32(clamping: ae))
    }

    private static func isOddInteger(_ value: Double) -> Bool {
        guard value.magnitude < 9.007199254740992e15, value == value.rounded(.towardZero) else { return false }
        return Int64(value) & 1 == 1
    }

    private static func specialCase(_ x: Double, _ y: Double) -> Double? {
        if y == 0 || x == 1 { return 1 }
        if y == 1 { return x }
        if x.isNaN || y.isNaN { return .nan }
        if x == 0 {
            if y < 0 { return x.sign == .minus && isOddInteger(y) ? -.infinity : .infinity }
            return x.sign == .minus && isOddInteger(y) ? x : 0
        }
        if y.isInfinite {
            if x == -1 { return 1 }
            return (x.magnitude < 1) == (y > 0) ? 0 : .infinity
        }
        if x.isInfinite {
            if x < 0 { return pow(1 / x, -y) }
            return y < 0 ? 0 : .infinity
        }
        if y == 0.5 { return x.squareRoot() }
        if y == -0.5 { return 1 / x.squareRoot() }
        return nil
    }
}
