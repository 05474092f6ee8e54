/// IEEE 754 binary16 and bfloat16 conversions done on bit patterns, so that they behave the same
/// on every platform (Swift's `Float16` is unavailable on some) and round exactly like NumPy.
enum HalfPrecision {
    /// The `Float` with the value of the binary16 number `bits` (exact: every half is a float).
    static func float(fromHalf bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        default:
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }

    /// The binary16 bit pattern nearest to `value` (round to nearest, ties to even; overflow gives
    /// infinity, NaN stays NaN).
    static func half(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa == 0 ? 0 : 0x200 | UInt16(truncatingIfNeeded: mantissa >> 13))
        }
        let halfExponent = exponent - 112
        if halfExponent >= 0x1F { return sign | 0x7C00 }
        if halfExponent > 0 {
            let pattern = (UInt32(halfExponent) << 23) | mantissa
            return sign | UInt16(truncatingIfNeeded: roundedShift(pattern, by: 13))
        }
        // Subnormal half: the value in units of 2⁻²⁴ is the full significand shifted right; a shift
        // beyond 24 leaves less than half a unit, which rounds to zero.
        let shift = UInt32(14 - halfExponent)
        guard shift <= 24 else { return sign }
        return sign | UInt16(truncatingIfNeeded: roundedShift(mantissa | 0x80_0000, by: shift))
    }

    /// The `Float` whose upper 16 bits are the bfloat16 number `bits`.
    static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// `value >> shift` rounded to nearest, ties to even; a carry may ripple into higher bits, which
    /// is exactly how a mantissa overflow moves to the next exponent (or to infinity).
    private static func roundedShift(_ value: UInt32, by shift: UInt32) -> UInt32 {
        let quotient = value >> shift
        let remainder = value & ((1 << shift) - 1)
        let halfway: UInt32 = 1 << (shift - 1)
        if remainder > halfway || (remainder == halfway && quotient & 1 == 1) { return quotient + 1 }
        return quotient
    }
}
