/// CRC-32 (IEEE 802.3, the polynomial of zlib, gzip and PNG), table-driven: the snapshot's
/// checksum, so a torn or corrupted file is detected before it is trusted.
enum CRC32 {
    /// The lookup table for the reflected polynomial 0xEDB88320, one entry per byte value.
    private static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        return crc
    }

    /// The CRC-32 of `bytes`, continuing from `crc` (pass the previous result to checksum data
    /// in pieces; 0 to start).
    static func checksum(_ bytes: some Sequence<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        var crc = ~crc
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return ~crc
    }
}
