/// Decodes a Metadata response body of any version 0–12, per the message schema, into plain
/// values for comparison with the model.
struct DecodedMetadata: Equatable {
    struct Broker: Equatable { var id: Int32; var host: String; var port: Int32 }
    struct Partition: Equatable {
        var error: Int16; var index: Int32; var leader: Int32; var replicas: [Int32]; var isr: [Int32]
        var offline: [Int32]?
    }
    struct Topic: Equatable { var error: Int16; var name: String?; var partitions: [Partition] }

    var brokers: [Broker] = []
    var clusterId: String?
    var controllerId: Int32?
    var topics: [Topic] = []

    static func read(_ body: [UInt8], version: Int16) throws -> DecodedMetadata {
        let flexible = version >= 9
        var reader = WireReader(body)
        var result = DecodedMetadata()
        if version >= 3 { _ = try reader.int32() }
        for _ in 0..<(try reader.count(compact: flexible)) {
            let broker = Broker(id: try reader.int32(), host: try reader.string(compact: flexible) ?? "",
                                port: try reader.int32())
            if version >= 1 { _ = try reader.string(compact: flexible) }
            try reader.tags(flexible)
            result.brokers.append(broker)
        }
        if version >= 2 { result.clusterId = try reader.string(compact: flexible) }
        if version >= 1 { result.controllerId = try reader.int32() }
        for _ in 0..<(try reader.count(compact: flexible)) {
            result.topics.append(try readTopic(&reader, version: version))
        }
        if version >= 8 && version <= 10 { _ = try reader.int32() }
        try reader.tags(flexible)
        guard reader.remaining == 0 else { throw WireReader.Overrun() }
        return result
    }

    private static func readTopic(_ reader: inout WireReader, version: Int16) throws -> Topic {
        let flexible = version >= 9
        let error = try reader.int16()
        let name = try reader.string(compact: flexible)
        if version >= 10 { _ = try reader.take(16) }
        if version >= 1 { _ = try reader.bool() }
        var partitions: [Partition] = []
        for _ in 0..<(try reader.count(compact: flexible)) {
            let error = try reader.int16(), index = try reader.int32(), leader = try reader.int32()
            if version >= 7 { _ = try reader.int32() }
            let replicas = try reader.int32Array(compact: flexible), isr = try reader.int32Array(compact: flexible)
            let offline = version >= 5 ? try reader.int32Array(compact: flexible) : nil
            try reader.tags(flexible)
            partitions.append(Partition(error: error, index: index, leader: leader, replicas: replicas, isr: isr,
                                        offline: offline))
        }
        if version >= 8 { _ = try reader.int32() }
        try reader.tags(flexible)
        return Topic(error: error, name: name, partitions: partitions)
    }
}
