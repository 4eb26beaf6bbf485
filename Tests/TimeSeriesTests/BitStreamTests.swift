import Testing
@testable import TimeSeries

@Suite struct BitStreamTests {
    /// Values of every width from 1 to 64 bits, interleaved with single bits, read back exactly.
    @Test func roundTripsEveryBitWidth() {
        var stream = BitStream()
        var expected: [(UInt64, Int)] = []
        for width in 1...64 {
            let value = width == 64 ? UInt64.max - 12345 : (UInt64(1) << UInt64(width - 1)) | UInt64(width & 1)
            stream.write(value, bits: width)
            stream.write(bit: width.isMultiple(of: 3))
            expected.append((value, width))
        }
        stream.withReader { reader in
            for (value, width) in expected {
                #expect(reader.read(bits: width) == value, "width \(width)")
                #expect(reader.readBit() == width.isMultiple(of: 3))
            }
            #expect(reader.position == stream.bitCount)
        }
    }

    @Test func writeKeepsOnlyTheRequestedLowBits() {
        var stream = BitStream()
        stream.write(0xffff, bits: 4)
        stream.write(0, bits: 4)
        #expect(stream.bytes() == [0xf0])
    }

    @Test(arguments: [0, 1, 7, 8, 9, 63, 64, 65, 200])
    func survivesSerialization(bits: Int) {
        var stream = BitStream()
        for index in 0..<bits { stream.write(bit: index % 3 == 0) }
        let bytes = stream.bytes()
        #expect(bytes.count == (bits + 7) / 8)
        guard var copy = BitStream(bytes: bytes, bitCount: bits) else {
            Issue.record("did not rebuild")
            return
        }
        #expect(copy.bytes() == bytes)
        // Appending to the rebuilt stream continues exactly where the original was.
        stream.write(0b101, bits: 3)
        copy.write(0b101, bits: 3)
        #expect(copy.bytes() == stream.bytes())
    }

    @Test func rejectsALengthThatDisagreesWithTheBytes() {
        #expect(BitStream(bytes: [1, 2], bitCount: 17) == nil)
        #expect(BitStream(bytes: [1, 2], bitCount: 8) == nil)
        #expect(BitStream(bytes: [1, 2], bitCount: -1) == nil)
    }

    @Test func readsZerosPastTheEndInsteadOfTrapping() {
        var stream = BitStream()
        stream.write(0b11, bits: 2)
        stream.withReader { reader in
            #expect(reader.read(bits: 2) == 0b11)
            #expect(reader.read(bits: 64) == 0)
            #expect(reader.read(bits: 64) == 0)
        }
    }
}
