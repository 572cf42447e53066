import Foundation
import Reprise
import RepriseGateway
import RepriseSemantic

/// The settings while they are read: the configuration so far, the environment secrets are read from, and
/// what several keys build together (the embedder, the volatility detector, the rules and their presets),
/// which ``SettingsCatalog/assemble(_:)`` turns into the configuration's values once every source is read.
struct SettingsDraft: Sendable {
    var configuration = GatewayConfiguration()
    /// Where secrets named by `*_env` keys are read.
    let environment: ProcessEnvironment

    /// `cache.presets` given, merged over the built-in presets.
    var presets = CachePolicy.builtInPresets
    /// `cache.rules` as written, turned into rules once the presets are known.
    var rules: (values: [FileValues.Rule], origin: SettingOrigin)?
    /// `cache.volatility.*` as written; the detector is built when any was given.
    var volatility = FileValues.Volatility()
    var volatilityGiven = false

    /// `semantic.embedder` as written.
    var embedderName: (value: String, origin: SettingOrigin)?
    /// Where `semantic.builtin_model` was given, when it was.
    var builtInModelOrigin: SettingOrigin?
    /// `semantic.remote.*` as written.
    var remote = RemoteDraft()
    var remoteOrigin: SettingOrigin?

    struct RemoteDraft: Sendable {
        var url: String?
        var model: String?
        var apiKey: String?
        var dimensions: Int?
        var timeout: Duration?
    }

    init(environment: ProcessEnvironment) {
        self.environment = environment
    }

    /// The value of `variable`, which `input` names and which must therefore be set.
    func required(_ variable: String, for input: SettingInput) throws -> String {
        guard let value = environment[variable] else {
            throw input.invalid("names the environment variable '\(variable)', which is not set; export it or remove the key")
        }
        return value
    }
}
