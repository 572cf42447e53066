/// Values the composition-root tests share.
enum ServerTestValues {
    /// A fixed server secret, so namespaces do not depend on a state directory.
    static let secret = [UInt8](repeating: 0x2A, count: 32)
    /// An admin token long enough to be accepted.
    static let adminToken = "server-tests-admin-token"
}
