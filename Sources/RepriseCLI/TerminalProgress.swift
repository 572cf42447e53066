import Foundation
import RepriseAnalysis

/// Draws ``ProgressLine`` on standard error when it is a terminal and the work has taken more than two
/// seconds, at most ten times a second; silent otherwise, so pipes and logs stay clean.
final class TerminalProgress {
    private let line = ProgressLine()
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastDrawn: ContinuousClock.Instant?
    private let enabled: Bool
    private(set) var isShown = false

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.enabled = enabled
        start = clock.now
    }

    func update(_ progress: UsageLogProgress) {
        guard enabled else { return }
        let now = clock.now
        let elapsed = now - start
        guard elapsed >= .seconds(2), lastDrawn.map({ now - $0 >= .milliseconds(100) }) ?? true else { return }
        lastDrawn = now
        isShown = true
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        write("\r\u{1B}[2K" + line.rendered(progress, elapsed: seconds))
    }

    /// Says what comes after reading, on the same line, when the bar is shown.
    func note(_ text: String) {
        guard isShown else { return }
        write("\r\u{1B}[2K" + text)
    }

    /// Clears the line.
    func finish() {
        guard isShown else { return }
        write("\r\u{1B}[2K")
        isShown = false
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
