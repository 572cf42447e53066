import ArgumentParser
import Foundation
import Reprise
import RepriseAnalysis

struct ExportFineTuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-finetune",
        abstract: "Write fine-tuning data (OpenAI chat JSONL, also read by TRL's SFT trainer) from logged requests and answers.",
        discussion: """
            Reads the same logs as 'reprise analyze'; only entries that carry the answer body become examples \
            (for Reprise's own log, run the gateway with request_log.bodies: true). Examples are deduplicated on \
            their prompt, prompts with personal data are left out unless --include-personal-data, and a held-out \
            share goes to the validation file, chosen by the prompt's digest so reruns keep each example on its side.
            """)

    @Argument(help: "Log files, read in the order given.") var files: [String]
    @Option(name: .shortAndLong, help: "The training file to write.") var output: String
    @Option(help: "The validation file to write (default: the training file's name with -validation).") var validationOutput: String?
    @Option(help: "The share of examples held out for validation, 0 to 1.") var validationShare = 0.1
    @Option(help: "Only calls to models matching this pattern, such as 'gpt-4o*'.") var model: String?
    @Option(help: "Only calls to this route, such as /v1/chat/completions.") var route: String?
    @Option(help: "Only prompts that occur at least this often (case, white space and punctuation folded).") var minRepeats = 1
    @Option(help: "At most this many examples in all.") var maxExamples: Int?
    @Option(help: "Force the format: \(UsageLogFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: String?
    @Flag(help: "Export prompts in which personal data was found (left out by default).") var includePersonalData = false
    @Flag(help: "Replace output files that already exist.") var force = false

    var validationPath: String {
        if let validationOutput { return validationOutput }
        return output.hasSuffix(".jsonl") ? String(output.dropLast(6)) + "-validation.jsonl" : output + "-validation"
    }

    func validate() throws {
        guard (0...1).contains(validationShare) else { throw ValidationError("--validation-share must be between 0 and 1, got \(validationShare).") }
        guard minRepeats >= 1 else { throw ValidationError("--min-repeats must be at least 1, got \(minRepeats).") }
        if let maxExamples, maxExamples < 1 { throw ValidationError("--max-examples must be positive, got \(maxExamples).") }
        guard validationPath != output else { throw ValidationError("--validation-output must differ from --output.") }
    }

    func run() throws {
        let forced = try UsageLogFormat.forced(by: format)
        for path in [output, validationPath] where !force && FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(path) already exists; choose another path or pass --force to replace it.")
        }
        var export = FineTuningExport()
        export.model = model.map(Glob.init)
        export.route = route
        export.minimumRepeats = minRepeats
        export.validationShare = validationShare
        export.maximumExamples = maxExamples
        export.includesPersonalData = includePersonalData

        var reader = UsageLogReader(paths: files, format: forced)
        let training = try JSONLinesFile(finalPath: output)
        let validation = try JSONLinesFile(finalPath: validationPath)
        var committed = false
        defer {
            if !committed {
                training.discard()
                validation.discard()
            }
        }
        var skipped: [FineTuningExport.Reason: Int] = [:]
        var answered = 0
        do {
            if export.needsRepeatCounts {
                try reader.forEach { export.countRepeat(of: $0) }
            }
            try reader.forEach { record in
                if record.response != nil { answered += 1 }
                switch export.place(record) {
                case .training(let example): try training.append(example.jsonLine)
                case .validation(let example): try validation.append(example.jsonLine)
                case .skipped(let reason): skipped[reason, default: 0] += 1
                }
            }
            try reader.summary.requireMostlyReadable()
        } catch let error as UsageLogError {
            throw CLIError(error.message)
        }
        let summary = reader.summary
        for problem in summary.problems { FileHandle.standardError.write(Data("reprise: skipped \(problem)\n".utf8)) }
        guard answered > 0 else {
            throw CLIError("""
                \(files.joined(separator: ", ")) \(files.count == 1 ? "has" : "have") no answer bodies, so there is nothing to train on. \
                Reprise's own log carries them when the gateway runs with request_log.bodies: true; other logs need a \
                'response' field (or a response column in CSV).
                """)
        }
        guard training.lines + validation.lines > 0 else {
            let reasons = skipped.sorted { $0.value > $1.value }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            throw CLIError("No call made an example (\(reasons)); loosen --model, --route or --min-repeats.")
        }
        try training.commit()
        try validation.commit()
        committed = true
        print("Wrote \(training.lines) training examples to \(output) and \(validation.lines) validation examples to \(validationPath).")
        for (reason, count) in skipped.sorted(by: { $0.value > $1.value }) {
            print("  left out \(count): \(reason)")
        }
    }
}
