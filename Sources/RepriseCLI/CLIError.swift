import ArgumentParser

/// A failure the CLI reports as one clear line on standard error, with exit status 2.
struct CLIError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        self.description = message
    }
}
