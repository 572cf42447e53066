import Yams

/// The keys a configuration file may hold, section by section.
indirect enum KeySchema: Sendable {
    /// A value with no keys of its own.
    case leaf
    /// A mapping with these keys.
    case section([String: KeySchema])
    /// A sequence whose items follow the schema.
    case list(KeySchema)
    /// A mapping with keys chosen by the user (such as preset names).
    case map

    /// The schema with `leaf` added at `path`: the file's sections are built this way from every setting's key.
    func adding(_ path: [String], _ leaf: KeySchema) -> KeySchema {
        guard let first = path.first else { return leaf }
        var keys: [String: KeySchema] = [:]
        if case .section(let existing) = self { keys = existing }
        keys[first] = (keys[first] ?? .section([:])).adding(Array(path.dropFirst()), leaf)
        return .section(keys)
    }

    /// The first key in `node` the schema does not allow, with its path and line.
    func firstUnknownKey(in node: Node, path: String = "") -> (path: String, line: Int, allowed: [String])? {
        switch (self, node) {
        case (.section(let keys), .mapping(let mapping)):
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? "\(keyNode)"
                let keyPath = path.isEmpty ? key : path + "." + key
                guard let child = keys[key] else { return (keyPath, keyNode.mark?.line ?? 0, keys.keys.sorted()) }
                if let unknown = child.firstUnknownKey(in: valueNode, path: keyPath) { return unknown }
            }
        case (.list(let item), .sequence(let sequence)):
            for (position, element) in sequence.enumerated() {
                if let unknown = item.firstUnknownKey(in: element, path: "\(path)[\(position)]") { return unknown }
            }
        default:
            break
        }
        return nil
    }
}

/// A value of the file with keys of its own (an upstream, a rule), listed by its `CodingKeys`.
protocol KeyedValue: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
    static var schema: KeySchema { get }
}

extension KeyedValue {
    static var schema: KeySchema { .section(keys(of: CodingKeys.self)) }
}

/// The schema entries of a section: every coding key a leaf, except the `children` given.
func keys<Key: CodingKey & CaseIterable>(of type: Key.Type, children: [String: KeySchema] = [:]) -> [String: KeySchema] {
    var result: [String: KeySchema] = [:]
    for key in Key.allCases { result[key.stringValue] = children[key.stringValue] ?? .leaf }
    return result
}
