#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element-wise functions of one value, and Go's NaN-propagating `math.Max`/`math.Min`.
enum MathFunctions {
    static func apply(_ name: String, _ value: Double) -> Double {
        switch name {
        case "abs": value.magnitude
        case "ceil": ceil(value)
        case "floor": floor(value)
        case "exp": exp(value)
        case "ln": log(value)
        case "log2": log2(value)
        case "log10": log10(value)
        case "sqrt": value.squareRoot()
        case "sgn": value < 0 ? -1 : (value > 0 ? 1 : value)
        case "deg": value * 180 / .pi
        case "rad": value * .pi / 180
        case "sin": sin(value)
        case "cos": cos(value)
        case "tan": tan(value)
        case "asin": asin(value)
        case "acos": acos(value)
        case "atan": atan(value)
        case "sinh": sinh(value)
        case "cosh": cosh(value)
        case "tanh": tanh(value)
        case "asinh": asinh(value)
        case "acosh": acosh(value)
        case "atanh": atanh(value)
        default: .nan
        }
    }

    static func goMax(_ a: Double, _ b: Double) -> Double {
        if a.isInfinite && a > 0 || b.isInfinite && b > 0 { return .infinity }
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }

    static func goMin(_ a: Double, _ b: Double) -> Double {
        if a.isInfinite && a < 0 || b.isInfinite && b < 0 { return -.infinity }
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// `round(v, to_nearest)` as Prometheus: floor(v / to_nearest + 0.5) * to_nearest, by
    /// multiplying with the inverse.
    static func round(_ value: Double, toNearest: Double) -> Double {
        let inverse = 1.0 / toNearest
        return floor(value * inverse + 0.5) / inverse
    }
}
