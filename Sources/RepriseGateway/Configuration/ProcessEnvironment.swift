import Foundation

/// The process environment, passed around as a value so configuration can be tested with any environment.
public struct ProcessEnvironment: Sendable {
    public var variables: [String: String]

    public init(_ variables: [String: String]) {
        self.variables = variables
    }

    /// The environment this process was started with.
    public static var current: ProcessEnvironment { ProcessEnvironment(ProcessInfo.processInfo.environment) }

    public subscript(name: String) -> String? {
        variables[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
