import ArgumentParser

/// A failure the CLI reports as one clear line on standard error, exiting with a non-zero status.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        self.description = message
    }
}
