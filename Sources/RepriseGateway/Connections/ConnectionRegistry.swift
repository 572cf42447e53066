import NIOCore
import Synchronization

/// Every open client connection, whether it is idle, and the limit on how many there may be.
///
/// At the limit a new connection is still admitted when some connection is idle — waiting for a request,
/// or sending one's head or body too slowly to have been dispatched — by closing the one idle the longest.
/// So a flood of idle or slow connections can never lock out a client that has a request to send
/// (`/health` included); only when every connection is busy is a new one refused.
final class ConnectionRegistry: Sendable {
    /// What happens to a new connection.
    enum Admission: Equatable {
        case admitted
        /// Admitted by closing this idle connection.
        case admittedEvicting(ObjectIdentifier)
        /// Every connection is busy.
        case refused
    }

    private struct Entry {
        var channel: any Channel
        /// When the connection last became idle; `nil` while it carries a request.
        var idleSince: NIODeadline?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    let maximum: Int

    init(maximum: Int) {
        self.maximum = max(1, maximum)
    }

    /// How many connections are open.
    var count: Int { entries.withLock { $0.count } }

    /// Admits `channel`, idle, closing the longest-idle connection when at the limit.
    func admit(_ channel: any Channel, now: NIODeadline = .now()) -> Admission {
        let id = ObjectIdentifier(channel)
        let (admission, evicted) = entries.withLock { entries -> (Admission, (any Channel)?) in
            if entries.count < maximum {
                entries[id] = Entry(channel: channel, idleSince: now)
                return (.admitted, nil)
            }
            let idlest = entries.filter { $0.value.idleSince != nil }.min { $0.value.idleSince! < $1.value.idleSince! }
            guard let idlest else { return (.refused, nil) }
            entries.removeValue(forKey: idlest.key)
            entries[id] = Entry(channel: channel, idleSince: now)
            return (.admittedEvicting(idlest.key), idlest.value.channel)
        }
        evicted?.close(promise: nil)
        return admission
    }

    /// Marks the connection idle (`true`) or carrying a request (`false`).
    func setIdle(_ idle: Bool, _ channel: any Channel, now: NIODeadline = .now()) {
        let id = ObjectIdentifier(channel)
        entries.withLock { entries in
            guard entries[id] != nil else { return }
            if idle {
                if entries[id]!.idleSince == nil { entries[id]!.idleSince = now }
            } else {
                entries[id]!.idleSince = nil
            }
        }
    }

    /// Forgets a closed connection.
    func remove(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}
