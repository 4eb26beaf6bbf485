/// What `Store.load(from:retention:)` found in the storage directory.
public enum SnapshotLoadOutcome: Sendable, Equatable {
    /// No snapshot: the store starts empty (first start).
    case noSnapshot
    /// The snapshot was read back.
    case restored(series: Int, samples: Int)
    /// The snapshot was torn or corrupt: it was renamed to `movedTo` (kept for inspection)
    /// and the store starts empty.
    case setAside(SnapshotError, movedTo: String)
    /// The snapshot could not be read (an I/O error, e.g. permissions): the store starts
    /// empty and the file is left where it is.
    case unreadable(SnapshotError)
}

extension Store {
    /// The snapshot's file name inside the storage directory (`--storage.path`).
    public static let snapshotFileName = "snapshot"

    /// Writes the whole store to `directory/snapshot`, atomically and durably (temporary
    /// file, fsync, rename, fsync of the directory); creates `directory` if needed.
    ///
    /// Holds the lock only to copy chunk references; encoding and I/O run without it, so
    /// appends and queries go on meanwhile. Call it on clean shutdown and periodically.
    public func writeSnapshot(to directory: String) throws(SnapshotError) {
        let content = head.withLock { $0.snapshotContent() }
        let bytes = SnapshotFormat.encode(content)
        try FileIO.makeDirectory(directory)
        try FileIO.writeAtomically(bytes, to: Self.path(directory), directory: directory)
    }

    /// A store holding what `directory/snapshot` holds, with the given retention (samples
    /// already outside it are dropped). Never throws: a torn or corrupt snapshot is set aside
    /// as `snapshot.corrupt-<unix ms>` and the store starts empty; the outcome says which
    /// happened, for the caller to log.
    public static func load(from directory: String, retention: Int64 = 3_600_000) -> (store: Store, outcome: SnapshotLoadOutcome) {
        let path = Self.path(directory)
        let bytes: [UInt8]
        do {
            guard let read = try FileIO.read(path) else { return (Store(retention: retention), .noSnapshot) }
            bytes = read
        } catch {
            return (Store(retention: retention), .unreadable(error))
        }
        do {
            let content = try SnapshotFormat.decode(bytes, path: path)
            let head = try Head(restoring: content, retention: retention, path: path)
            let store = Store(head: head)
            let stats = store.stats
            return (store, .restored(series: stats.series, samples: stats.samples))
        } catch {
            let aside = "\(path).corrupt-\(FileIO.nowMilliseconds())"
            do {
                try FileIO.move(path, to: aside)
            } catch let moveError {
                return (Store(retention: retention), .unreadable(moveError))
            }
            return (Store(retention: retention), .setAside(error, movedTo: aside))
        }
    }

    private static func path(_ directory: String) -> String {
        directory.hasSuffix("/") ? directory + snapshotFileName : directory + "/" + snapshotFileName
    }
}

extension Head {
    /// The store's content for a snapshot: series copies share storage, so this is cheap.
    func snapshotContent() -> SnapshotFormat.Content {
        var content = SnapshotFormat.Content(maxTime: maxTime)
        var position: [UInt32: Int] = [:]
        for (id, memSeries) in series.enumerated() {
            guard !memSeries.isEmpty, let labels = index.labels[id] else { continue }
            position[UInt32(id)] = content.series.count
            content.series.append((labels, memSeries))
        }
        for (name, batch) in sources.sorted(by: { $0.key < $1.key }) {
            content.sources.append((name, batch.ids.compactMap { position[$0] }))
        }
        return content
    }

    /// A head holding a snapshot's content, truncated to `retention`.
    init(restoring content: SnapshotFormat.Content, retention: Int64, path: String) throws(SnapshotError) {
        self.init(retention: max(0, retention))
        var ids: [UInt32] = []
        for (labels, restored) in content.series {
            // The writer never stores a series without samples; a crafted one is skipped.
            guard let last = restored.last else {
                ids.append(UInt32.max)
                continue
            }
            guard index.id(of: labels) == nil else { throw SnapshotError(.invalid("series \(labels) appears twice"), path: path) }
            let id = create(labels)
            series[Int(id)] = restored
            ids.append(id)
            if last.timestamp > content.maxTime {
                throw SnapshotError(.invalid("series \(labels) has samples after the snapshot's latest time"), path: path)
            }
        }
        for (name, positions) in content.sources {
            let batchIDs = positions.map { ids[$0] }.filter { $0 != .max }
            sources[name] = SourceBatch(ids: batchIDs, labels: batchIDs.map { index.labels[Int($0)]! })
        }
        maxTime = content.maxTime
        truncate()
        index.commitOrder()
    }
}
