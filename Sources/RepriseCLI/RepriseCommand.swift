import ArgumentParser

@main
struct RepriseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reprise",
        abstract: "Cut what you pay for LLM APIs and how long your users wait.",
        discussion: "Run 'reprise serve' and point your SDK's base URL at it (OPENAI_BASE_URL=http://127.0.0.1:8080/v1).",
        subcommands: [
            ServeCommand.self, AnalyzeCommand.self, PlanCommand.self, ExportFineTuneCommand.self, ModelCommand.self, EvalSemanticCommand.self,
            DemoCommand.self,
        ])
}
