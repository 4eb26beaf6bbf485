/// The snapshot file: the store's series, their chunks and each source's last batch, framed
/// by a header and a CRC-32 so that a torn or corrupted file is detected.
///
/// ```
/// header   "KHMSNAP1"  version:u32le=1  payload length:u64le
/// payload  maxTime:u64le  series count:varint
///          per series: label count, (name, value) strings; chunk count,
///                      per chunk: sample count, bit count, ceil(bits/8) stream bytes
///          source count; per source: name, id count, series indexes (varints)
/// trailer  CRC-32 (IEEE) of header and payload:u32le
/// ```
/// Strings are a varint byte length and UTF-8; varints are unsigned LEB128.
enum SnapshotFormat {
    static let magic = Array("KHMSNAP1".utf8)
    static let version: UInt32 = 1
    static let headerSize = 20

    /// What a snapshot holds.
    struct Content {
        var maxTime: Int64 = .min
        var series: [(labels: Labels, series: MemSeries)] = []
        /// Each source's last batch, as indexes into `series`.
        var sources: [(name: String, series: [Int])] = []
    }

    static func encode(_ content: Content) -> [UInt8] {
        var payload = ByteWriter()
        payload.write(uint64: UInt64(bitPattern: content.maxTime))
        payload.write(varint: content.series.count)
        for (labels, series) in content.series {
            payload.write(varint: labels.count)
            for label in labels {
                payload.write(string: label.name)
                payload.write(string: label.value)
            }
            payload.write(varint: series.chunkCount)
            series.forEachChunk { chunk in
                payload.write(varint: chunk.count)
                payload.write(varint: chunk.bitCount)
                payload.write(chunk.bytes())
            }
        }
        payload.write(varint: content.sources.count)
        for (name, series) in content.sources {
            payload.write(string: name)
            payload.write(varint: series.count)
            for index in series { payload.write(varint: index) }
        }
        var file = ByteWriter()
        file.write(magic)
        file.write(uint32: version)
        file.write(uint64: UInt64(payload.bytes.count))
        file.write(payload.bytes)
        file.write(uint32: CRC32.checksum(file.bytes))
        return file.bytes
    }

    /// Decodes a whole file; the frame (magic, version, length, checksum) is checked before
    /// anything inside is trusted.
    static func decode(_ bytes: [UInt8], path: String) throws(SnapshotError) -> Content {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else { throw SnapshotError(.notASnapshot, path: path) }
        var header = ByteReader(bytes, offset: 8)
        let version = try! header.readUInt32()
        guard version == Self.version else { throw SnapshotError(.unsupportedVersion(version), path: path) }
        let length = try! header.readUInt64()
        let actual = bytes.count - headerSize - 4
        guard actual >= 0, length == UInt64(actual) else {
            throw SnapshotError(.wrongLength(expected: length, actual: max(0, actual)), path: path)
        }
        var trailer = ByteReader(bytes, offset: bytes.count - 4)
        let stored = try! trailer.readUInt32()
        let computed = CRC32.checksum(bytes[0..<(bytes.count - 4)])
        guard stored == computed else { throw SnapshotError(.checksumMismatch(stored: stored, computed: computed), path: path) }
        do {
            return try decodePayload(Array(bytes[headerSize..<(bytes.count - 4)]), path: path)
        } catch let error as SnapshotError {
            throw error
        } catch let error as ByteReader.Truncated {
            throw SnapshotError(.truncated(offset: headerSize + error.offset), path: path)
        } catch {
            throw SnapshotError(.invalid("\(error)"), path: path)
        }
    }

    private static func decodePayload(_ payload: [UInt8], path: String) throws -> Content {
        var reader = ByteReader(payload)
        var content = Content()
        content.maxTime = Int64(bitPattern: try reader.readUInt64())
        let seriesCount = try reader.readCount(limit: payload.count)
        content.series.reserveCapacity(seriesCount)
        for index in 0..<seriesCount {
            var pairs: [Label] = []
            for _ in 0..<(try reader.readCount(limit: payload.count)) {
                pairs.append(Label(try reader.readString(), try reader.readString()))
            }
            guard zip(pairs, pairs.dropFirst()).allSatisfy({ $0.name < $1.name }), !pairs.contains(where: { $0.value.isEmpty })
            else { throw SnapshotError(.invalid("series \(index): labels not sorted, unique and non-empty"), path: path) }
            var series = MemSeries()
            for _ in 0..<(try reader.readCount(limit: payload.count)) {
                let count = try reader.readCount(limit: payload.count * 8)
                let bits = try reader.readCount(limit: payload.count * 8)
                let stream = try reader.read(count: (bits + 7) / 8)
                // A chunk the store wrote holds at most 120 samples; an absurd count is refused
                // here rather than trapping where the store keeps counts in 32 bits.
                guard count <= Int(Int32.max), let chunk = XORChunk(bytes: stream, bitCount: bits, count: count), chunk.count > 0,
                      series.last.map({ $0.timestamp < chunk.minTime }) ?? true
                else { throw SnapshotError(.invalid("series \(index): damaged or unordered chunk"), path: path) }
                series.restore(chunk)
            }
            content.series.append((Labels(sorted: pairs), series))
        }
        for _ in 0..<(try reader.readCount(limit: payload.count)) {
            let name = try reader.readString()
            var series: [Int] = []
            for _ in 0..<(try reader.readCount(limit: payload.count)) {
                let index = try reader.readCount(limit: payload.count)
                guard index < seriesCount else { throw SnapshotError(.invalid("source \(name): no series \(index)"), path: path) }
                series.append(index)
            }
            content.sources.append((name, series))
        }
        guard reader.isAtEnd else { throw SnapshotError(.invalid("trailing bytes after the last record"), path: path) }
        return content
    }
}
