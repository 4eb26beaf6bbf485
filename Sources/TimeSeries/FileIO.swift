#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the snapshot needs, with errors as `SnapshotError`: durable writes
/// (write, fsync, rename, fsync the directory) and whole-file reads.
enum FileIO {
    /// Writes `bytes` to `path` atomically and durably: a temporary file in the same
    /// directory is written and fsynced, renamed over `path`, and the directory is fsynced so
    /// the rename itself survives a crash. Readers see the old file or the new one, never a mix.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String) throws(SnapshotError) {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("open", temporary) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else {
                let error = failure("write", temporary)
                close(fd)
                unlink(temporary)
                throw error
            }
            written += result
        }
        guard fsync(fd) == 0 else {
            let error = failure("fsync", temporary)
            close(fd)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw failure("rename", path) }
        let directoryFD = open(directory, O_RDONLY | O_CLOEXEC)
        guard directoryFD >= 0 else { throw failure("open", directory) }
        defer { close(directoryFD) }
        guard fsync(directoryFD) == 0 else { throw failure("fsync", directory) }
    }

    /// The whole file, or nil when it does not exist.
    static func read(_ path: String) throws(SnapshotError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw failure("open", path)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("read", path) }
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    /// Renames `path` to `newPath`.
    static func move(_ path: String, to newPath: String) throws(SnapshotError) {
        guard rename(path, newPath) == 0 else { throw failure("rename", path) }
    }

    /// Creates `path` (and nothing above it) if it does not exist.
    static func makeDirectory(_ path: String) throws(SnapshotError) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("mkdir", path) }
    }

    /// Milliseconds since the Unix epoch, for naming a corrupt file set aside.
    static func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    private static func failure(_ operation: String, _ path: String) -> SnapshotError {
        SnapshotError(.io(operation: operation, errno: errno), path: path)
    }
}

/// `read(2)`, named apart from `FileIO.read` so the call is unambiguous on every platform.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
