import Foundation

/// The JSON header of a safetensors file: one entry per tensor plus the optional `__metadata__`
/// string map, all as members of one top-level object.
struct SafeTensorsHeader: Codable {
    /// One tensor's description.
    struct Entry: Codable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    /// A structural problem found while decoding, reported with the member it concerns.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Tensor entries by name.
    var tensors: [String: Entry]
    /// The `__metadata__` map.
    var metadata: [String: String]

    init(tensors: [String: Entry], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    init(from decoder: Decoder) throws {
        let container: KeyedDecodingContainer<MemberKey>
        do {
            container = try decoder.container(keyedBy: MemberKey.self)
        } catch {
            throw Problem(description: "the header is not a JSON object")
        }
        tensors = [:]
        metadata = [:]
        for key in container.allKeys {
            if key.stringValue == SafeTensors.metadataKey {
                do {
                    metadata = try container.decode([String: String].self, forKey: key)
                } catch {
                    throw Problem(description: "'\(SafeTensors.metadataKey)' must map strings to strings")
                }
                continue
            }
            do {
                tensors[key.stringValue] = try container.decode(Entry.self, forKey: key)
            } catch {
                throw Problem(
                    description: "tensor '\(key.stringValue)' needs \"dtype\" (string), \"shape\" (array of integers) "
                        + "and \"data_offsets\" (two integers)")
            }
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        for (name, entry) in tensors { try container.encode(entry, forKey: MemberKey(name)) }
        if !metadata.isEmpty { try container.encode(metadata, forKey: MemberKey(SafeTensors.metadataKey)) }
    }

    /// A JSON member name chosen at run time.
    struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { return nil }
    }
}
