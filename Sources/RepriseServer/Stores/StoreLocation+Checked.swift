import Reprise
import RepriseGateway
import RepriseMemcached
import RepriseRedis

extension StoreLocation {
    /// Reads a store URL and checks its parts with the store's own client: servers, ports, options. The
    /// clients' messages name the bad part and never a password.
    /// - Throws: ``Reprise/ConfigurationError`` naming `key` in `source`.
    public static func checked(url: String, key: String, in source: String) throws -> StoreLocation {
        let location = try StoreLocation(url: url, key: key, in: source)
        func invalid(_ kind: String, _ error: any Error) -> ConfigurationError {
            let reason = "\(error)"
            return .invalidValue(key, in: source, reason: "is not a usable \(kind) URL: " + (reason.hasSuffix(".") ? String(reason.dropLast()) : reason))
        }
        switch location {
        case .memory, .sqlite:
            break
        case .memcached(let text):
            do { _ = try MemcachedConfiguration(url: text) } catch { throw invalid("memcached", error) }
        case .redis(let text):
            do { _ = try RedisConfiguration(url: text) } catch { throw invalid("Redis", error) }
        }
        return location
    }

    /// The memcached client's configuration for `url`.
    static func memcachedConfiguration(url: String) throws -> MemcachedConfiguration {
        do {
            return try MemcachedConfiguration(url: url)
        } catch {
            throw ConfigurationError.invalidValue("cache.store", in: "the configuration", reason: "names '\(StoreURLText.withoutPassword(url))': \(error)")
        }
    }
}
