import Logging
import NIOCore
import Reprise

extension CachedRouteHandler {
    /// Records a finished request once: statistics, metrics, the request log and a debug log line.
    func account(_ exchange: Exchange, arrival: EpochInstant) {
        let outcome = exchange.outcome
        state.statistics.record(outcome)
        state.metrics.record(outcome, overhead: max(.zero, outcome.latency - (outcome.upstreamLatency ?? .zero)))
        if state.requestLogger.isEnabled {
            state.requestLogger.record(record(for: exchange, arrival: arrival))
        }
        state.logger.debug(
            "Request served",
            metadata: [
                "Reprise.route": "\(outcome.route)", "Reprise.upstream": "\(outcome.upstream ?? "-")",
                "Reprise.cache.status": "\(outcome.status.rawValue)",
                "Reprise.http.status": "\(outcome.httpStatus)", "Reprise.namespace": "\(outcome.namespace ?? "-")",
                "Reprise.latency_ms": "\(outcome.latency.millisecondsValue)",
            ])
    }

    private func record(for exchange: Exchange, arrival: EpochInstant) -> RequestLogRecord {
        let outcome = exchange.outcome
        let isHit = [.hit, .semanticHit, .coalesced, .stale].contains(outcome.status)
        let bodies = state.configuration.logsBodies
        let usage = outcome.usage
        let promptCache = outcome.promptCache
        func present<T: Numeric>(_ value: T) -> T? { value == 0 ? nil : value }
        return RequestLogRecord(
            timestamp: arrival.iso8601, route: outcome.route, model: outcome.model, namespace: outcome.namespace,
            key: outcome.key?.hex, cacheStatus: outcome.status.rawValue, httpStatus: outcome.httpStatus,
            promptTokens: outcome.usage.promptTokens, completionTokens: outcome.usage.completionTokens,
            cachedTokens: outcome.usage.cachedPromptTokens, costUSD: isHit ? 0 : outcome.cost.dollars.roundedDollars,
            savedUSD: isHit ? outcome.cost.dollars.roundedDollars : 0, savedTokens: isHit ? outcome.usage.totalTokens : 0,
            priced: outcome.cost.isPriced, stream: outcome.stream, latencyMilliseconds: outcome.latency.roundedMilliseconds,
            upstreamLatencyMilliseconds: outcome.upstreamLatency?.roundedMilliseconds,
            similarity: outcome.similarity.map { (Double($0) * 10_000).rounded() / 10_000 }, reason: outcome.reason,
            requestBody: bodies ? exchange.requestBody.map { String(buffer: $0) } : nil,
            responseBody: bodies ? exchange.responseBody.map { String(buffer: $0) } : nil,
            cacheWriteTokens: present(usage.cacheWriteTokens), cacheWriteOneHourTokens: present(usage.cacheWriteOneHourTokens),
            providerCacheSavedUSD: present(promptCache.savedDollars.roundedDollars),
            providerCacheWriteUSD: present(promptCache.writeDollars.roundedDollars), autoBreakpoints: present(outcome.addedBreakpoints), matchedKey: outcome.matchedKey?.hex,
            upstream: outcome.upstream)
    }
}
