import Foundation
import TestSupport
import Testing
@testable import TimeSeries

@Suite struct SnapshotTests {
    static let (a, b, up): (Labels, Labels, Labels) = (
        ["__name__": "kafka_isr_shrink_events_total", "topic": "a", "partition": "0"],
        ["__name__": "kafka_isr_shrink_events_total", "topic": "b", "partition": "0"],
        ["__name__": "kafka_up"])

    /// A store with two sources, 300 collections (three chunks per series), special values.
    static func filledStore() -> Store {
        let store = Store()
        for step in 0..<300 {
            let t = Int64(step) * 5000
            var samples: [(Labels, Double)] = [(a, Double(step / 7)), (up, step % 50 == 0 ? .nan : 1)]
            if step < 250 { samples.append((b, step == 100 ? -0.0 : .infinity)) }
            store.append(source: "collector", timestamp: t, samples: samples)
            if step.isMultiple(of: 10) { store.append(source: "rules", timestamp: t, samples: [(["__name__": "r"], 1)]) }
        }
        return store
    }

    static func everything(_ store: Store) -> [Series] { store.select([], mint: .min, maxt: .max) }

    /// Runs `body` with a fresh directory holding a snapshot of `filledStore()`.
    static func withSnapshot(_ body: (String, [UInt8]) throws -> Void) throws {
        let directory = try TestPaths.temporaryDirectory("khm-snapshot")
        defer { try? FileManager.default.removeItem(at: directory) }
        try filledStore().writeSnapshot(to: directory.path)
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(Store.snapshotFileName)))
        try body(directory.path, bytes)
    }

    @Test func roundTripsEverySampleAndTheStaleness() throws {
        try Self.withSnapshot { directory, _ in
            let original = Self.filledStore()
            let (restored, outcome) = Store.load(from: directory)
            #expect(outcome == .restored(series: 4, samples: original.stats.samples))
            #expect(Self.everything(restored) == Self.everything(original))
            // Appends continue in the restored head chunks, and the sources' last batches
            // survived: `b` (absent since step 250) stays stale, `up` going away is noticed.
            for store in [original, restored] {
                store.append(source: "collector", timestamp: 300 * 5000, samples: [(Self.a, 99)])
            }
            #expect(Self.everything(restored) == Self.everything(original))
            #expect(restored.latest().map(\.labels) == [Self.a, ["__name__": "r"]])
            #expect(restored.stats.chunks == original.stats.chunks)
        }
    }

    @Test func aMissingSnapshotIsAFirstStart() throws {
        let directory = try TestPaths.temporaryDirectory("khm-snapshot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (store, outcome) = Store.load(from: directory.path, retention: 60_000)
        #expect(outcome == .noSnapshot)
        #expect(store.stats.series == 0)
        #expect(store.retention == 60_000)
    }

    @Test func loadingAppliesTheNewRetention() throws {
        try Self.withSnapshot { directory, _ in
            let (store, _) = Store.load(from: directory, retention: 60_000)
            let samples = store.select([], mint: .min, maxt: .max).map(\.samples.count)
            #expect(samples.allSatisfy { $0 < 300 })
            #expect(store.stats.chunksDropped > 0)
        }
    }

    /// Damage at each place in the file: the header, the payload, the checksum; and files
    /// cut short anywhere. Each is detected, set aside, and the store starts empty.
    @Test(arguments: Damage.allCases)
    func detectsAndSetsAsideDamage(_ damage: Damage) throws {
        try Self.withSnapshot { directory, bytes in
            let path = directory + "/" + Store.snapshotFileName
            try Data(damage.apply(to: bytes)).write(to: URL(fileURLWithPath: path))
            let (store, outcome) = Store.load(from: directory)
            guard case let .setAside(error, movedTo) = outcome else {
                Issue.record("\(damage): \(outcome)")
                return
            }
            #expect(error.isCorruption)
            #expect(movedTo.hasPrefix(path + ".corrupt-"))
            #expect(FileManager.default.fileExists(atPath: movedTo))
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(store.stats.series == 0)
            // The next start finds no snapshot rather than the same damage again.
            #expect(Store.load(from: directory).outcome == .noSnapshot)
        }
    }

    @Test func aDamagedChecksumIsReportedAsSuch() throws {
        try Self.withSnapshot { directory, bytes in
            try Data(Self.flip(bytes, at: bytes.count / 2)).write(to: URL(fileURLWithPath: directory + "/snapshot"))
            guard case let .setAside(error, _) = Store.load(from: directory).outcome else {
                Issue.record("not set aside")
                return
            }
            #expect(error.description.contains("checksum mismatch"))
        }
    }

    @Test func rewritingReplacesTheSnapshotAndLeavesNoTemporaryFile() throws {
        try Self.withSnapshot { directory, _ in
            let store = Store()
            store.append(Self.up, Sample(1, 1))
            try store.writeSnapshot(to: directory)
            #expect(Store.load(from: directory).outcome == .restored(series: 1, samples: 1))
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == [Store.snapshotFileName])
        }
    }

    @Test func writingIntoAnImpossiblePlaceThrows() {
        #expect(throws: SnapshotError.self) { try Store().writeSnapshot(to: "/proc/khm-no-such-dir") }
    }

    @Test func crc32MatchesTheStandardCheckValue() {
        // The CRC-32/ISO-HDLC check value of "123456789".
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xcbf4_3926)
        #expect(CRC32.checksum(Array("56789".utf8), continuing: CRC32.checksum(Array("1234".utf8))) == 0xcbf4_3926)
    }

    static func flip(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        copy[index] ^= 0x20
        return copy
    }
}

/// Ways a snapshot file gets damaged: bit rot in each part of it, and files cut short or
/// extended (a torn write, a full disk, a bad copy).
enum Damage: String, CaseIterable, CustomTestStringConvertible {
    case flippedMagic, flippedVersion, flippedLength, flippedPayloadByte, flippedLastPayloadByte
    case flippedChecksum, truncatedToNothing, truncatedInHeader, truncatedInPayload
    case truncatedByOneByte, oneByteAppended

    var testDescription: String { rawValue }

    func apply(to bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .flippedMagic: SnapshotTests.flip(bytes, at: 0)
        case .flippedVersion: SnapshotTests.flip(bytes, at: 9)
        case .flippedLength: SnapshotTests.flip(bytes, at: 13)
        case .flippedPayloadByte: SnapshotTests.flip(bytes, at: bytes.count / 2)
        case .flippedLastPayloadByte: SnapshotTests.flip(bytes, at: bytes.count - 5)
        case .flippedChecksum: SnapshotTests.flip(bytes, at: bytes.count - 1)
        case .truncatedToNothing: []
        case .truncatedInHeader: Array(bytes.prefix(11))
        case .truncatedInPayload: Array(bytes.prefix(bytes.count / 3))
        case .truncatedByOneByte: Array(bytes.dropLast())
        case .oneByteAppended: bytes + [0]
        }
    }
}
