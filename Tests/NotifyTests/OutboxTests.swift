import Foundation
import Testing
@testable import Notify
import TestSupport

@Suite("SQLite outbox")
struct OutboxTests {
    private func entry(_ receiver: String, _ group: String, due: TimeInterval = 0) -> Outbox.Entry {
        Outbox.Entry(receiver: receiver, groupKey: group, url: "http://h/\(group)", payload: Data("{\"g\":\"\(group)\"}".utf8),
                     nextAttempt: at(due), created: at(0))
    }

    /// A prepared outbox in `directory`, as the dispatcher opens it.
    private func open(_ directory: URL) throws -> Outbox {
        try Outbox.prepare(directory: directory.path)
        return try Outbox(directory: directory.path)
    }

    @Test("the next entry is the oldest of its group, groups by due time; rows survive reopening")
    func ordering() throws {
        let directory = try TestPaths.temporaryDirectory("khm-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let outbox = try open(directory)
            let stored = try outbox.insert([entry("r", "g1"), entry("r", "g1"), entry("r", "g2", due: 5), entry("other", "g0")])
            #expect(stored.map(\.id) == [1, 2, 3, 4])
            #expect(try outbox.next(receiver: "r")?.id == 1)
            try outbox.reschedule(id: 1, attempts: 1, nextAttempt: at(10))
            #expect(try outbox.next(receiver: "r")?.id == 3, "g1's second entry waits behind its first")
            try outbox.delete(id: 1)
            #expect(try outbox.next(receiver: "r")?.id == 2)
        }
        let reopened = try open(directory)
        let resumed = try #require(try reopened.next(receiver: "r"))
        #expect(resumed.id == 2 && resumed.payload == Data("{\"g\":\"g1\"}".utf8) && resumed.url == "http://h/g1")
        #expect(try reopened.count(receiver: "r") == 2 && reopened.count(receiver: "other") == 1)
    }

    @Test("dropping removes a receiver's oldest rows only")
    func dropOldest() throws {
        let directory = try TestPaths.temporaryDirectory("khm-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try open(directory)
        _ = try outbox.insert([entry("r", "a"), entry("other", "x"), entry("r", "b"), entry("r", "c")])
        #expect(try outbox.dropOldest(receiver: "r", count: 2) == 2)
        #expect(try outbox.next(receiver: "r")?.groupKey == "c")
        #expect(try outbox.count(receiver: "other") == 1)
    }

    @Test("postponing moves a receiver's entries for one URL, never earlier")
    func postpone() throws {
        let directory = try TestPaths.temporaryDirectory("khm-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try open(directory)
        _ = try outbox.insert([entry("r", "a", due: 0), entry("r", "b", due: 50), entry("r", "c", due: 0), entry("other", "a")])
        try outbox.postpone(receiver: "r", url: "http://h/a", until: at(20))
        try outbox.postpone(receiver: "r", url: "http://h/b", until: at(20))
        #expect(try outbox.next(receiver: "r")?.groupKey == "c")
        try outbox.delete(id: 3)
        #expect(try outbox.next(receiver: "r").map { ($0.groupKey, $0.nextAttempt) } ?? ("", epoch) == ("a", at(20)))
        #expect(try outbox.next(receiver: "other")?.nextAttempt == at(0))
    }

    @Test("the database runs in WAL mode")
    func walMode() throws {
        let directory = try TestPaths.temporaryDirectory("khm-outbox")
        defer { try? FileManager.default.removeItem(at: directory) }
        let outbox = try open(directory)
        _ = try outbox.insert([entry("r", "a")])
        #expect(FileManager.default.fileExists(atPath: Outbox.file(in: directory.path) + "-wal"))
    }

    @Test("an unusable storage path is an error, not a trap")
    func unusablePath() {
        #expect(throws: (any Error).self) { try Outbox.prepare(directory: "/proc/khm-no-such-dir") }
    }
}
