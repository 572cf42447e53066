import Foundation
import Yams

/// Reads YAML (or JSON, which YAML includes) files into `Decodable` values, turning every failure into a
/// ``ConfigurationError`` that names the file and the key at fault.
public enum ConfigurationFileReader {
    /// The text of the file at `path`.
    public static func text(at path: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError.unreadableFile(path, reason: "the file does not exist or is not readable UTF-8 text")
        }
    }

    /// Decodes `text`, read from `path`, as a `T`.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, path: String) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: text)
        } catch let error as YamlError {
            throw ConfigurationError.invalidFile(path, reason: "it is not valid YAML or JSON (\(error))")
        } catch {
            throw ConfigurationError.invalidFile(path, reason: ConfigurationError.describe(decodingError: error))
        }
    }
}
