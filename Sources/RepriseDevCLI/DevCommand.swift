import ArgumentParser

/// `reprise-dev`: tools for developing Reprise — the fake upstream the tests and benchmarks run against, and the
/// benchmark drivers, the settings reference's tables. Not part of the `reprise` binary users install.
@main
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprise-dev",
        abstract: "Development tools for Reprise: the fake upstream, the benchmark drivers, the settings reference.",
        subcommands: [FakeUpstreamCommand.self, ModelBenchCommand.self, SettingsReferenceCommand.self])
}
