import Foundation
import Hummingbird
import Logging
import NIOCore
import Reprise
import RepriseSemantic

extension CachedRouteHandler {
    /// What the semantic layer contributes to a request that missed exactly: its query and embedding, so
    /// the answer can be indexed when it is stored.
    struct SemanticPlan: Sendable {
        var query: SemanticQuery
        var vector: [Float]
    }

    /// Looks `parsed` up semantically when the policy allows it and the exact lookup found nothing usable.
    /// - Returns: the match to serve, or the plan to index the upstream's answer with (either may be `nil`).
    func semanticLookup(
        _ parsed: ParsedRequest, decision: CacheDecision, lookup: Lookup, exchange: inout Exchange
    ) async -> (match: SemanticMatch?, plan: SemanticPlan?) {
        guard let semantic = state.semantic, let threshold = decision.semanticThreshold, decision.mayServe else { return (nil, nil) }
        switch lookup {
        case .missing, .tooOld: break
        case .skipped, .fresh, .failed: return (nil, nil)
        }
        guard let query = parsed.semanticQuery(keyBuilder: state.configuration.keyBuilder) else { return (nil, nil) }
        switch await semantic.lookup(query, namespace: parsed.namespace, threshold: threshold, maximumAge: decision.maximumAge) {
        case .hit(let match) where !match.entry.isServable:
            await drop(match.entry, key: match.key)
            return (nil, nil)
        case .hit(let match):
            exchange.outcome.matchedKey = match.key
            exchange.outcome.similarity = match.similarity
            return (match, nil)
        case .miss(let vector, let veto):
            if let veto { exchange.outcome.reason = "semantic-veto-\(veto.rawValue)" }
            return (nil, vector.map { SemanticPlan(query: query, vector: $0) })
        }
    }

    /// Serves an entry stored for a similar request, marked as such, and sends a share of these hits upstream
    /// too, to measure how often they are wrong.
    func semanticHit(_ match: SemanticMatch, parsed: ParsedRequest, exchange: inout Exchange) -> Response {
        exchange.outcome.status = .semanticHit
        exchange.marks[.repriseSimilarity] = Self.similarityText(match.similarity)
        exchange.marks[.repriseMatchedKey] = match.key.hex
        let response = serve(match.entry, parsed: parsed, status: .semanticHit, detail: "semantic", exchange: &exchange)
        if let verification = state.verification, verification.begin() {
            let started = state.background.submit { [self] in await verify(parsed, against: match, verification: verification) }
            if started == nil { _ = verification.finish(.failed, dollars: 0) }
        }
        return response
    }

    /// `0.9731`: four decimals, enough to compare with a threshold.
    static func similarityText(_ similarity: Float) -> String {
        String(format: "%.4f", Double(similarity))
    }

    /// Asks the upstream the request that was answered semantically and compares its answer with the
    /// cached one; the result feeds the false-hit rate in `/admin/stats` and the metrics.
    private func verify(_ parsed: ParsedRequest, against match: SemanticMatch, verification: SemanticVerification) async {
        var outcome = SemanticVerification.Outcome.failed
        var dollars = 0.0
        do {
            let answer = try await callWhole(parsed.withoutStreaming())
            let usage = answer.json.flatMap(parsed.provider.usage(of:)) ?? TokenUsage()
            let priced = parsed.provider.pricedModel(requestModel: parsed.model, answer: answer.json)
            dollars = state.configuration.prices.cost(of: usage, model: priced).dollars
            if answer.isSuccess, let json = answer.json, let fresh = AnswerText.of(json),
                let cachedJSON = try? JSONParser.parse(match.entry.body), let cached = AnswerText.of(cachedJSON),
                let embedder = state.semantic?.embedder
            {
                outcome = try await verification.compare(cached: cached, fresh: fresh, embedder: embedder)
            }
        } catch {
            state.logger.debug("Semantic verification call failed", metadata: ["Reprise.error": "\(error)"])
        }
        let tally = verification.finish(outcome, dollars: dollars)
        state.semanticMetrics.recordVerification(outcome, tally: tally)
        if outcome == .disagreed {
            state.logger.warning(
                "A semantic hit disagreed with the upstream's own answer; audit the matched entry, purge it with DELETE /admin/cache?key=…, or raise the threshold",
                metadata: [
                    "Reprise.key": "\(parsed.key(state: state).hex)", "Reprise.matched_key": "\(match.key.hex)",
                    "Reprise.similarity": "\(Self.similarityText(match.similarity))",
                ])
        }
    }
}

extension ParsedRequest {
    /// The request's semantic query, or `nil` on routes and bodies where only exact matching applies
    /// (embeddings, a last turn that is not plain user text).
    func semanticQuery(keyBuilder: CacheKeyBuilder) -> SemanticQuery? {
        guard operation.matchesSemantically,
            let (text, scopeBody) = provider.lastUserTurn(in: body, replacingWith: SemanticQuery.placeholder)
        else { return nil }
        return SemanticQuery(text: text, scopeBody: scopeBody, namespace: namespace, route: keyedRoute, keyBuilder: keyBuilder, headers: keyedHeaders)
    }

    /// The same request asking for a whole answer rather than a stream, for verification.
    func withoutStreaming() -> ParsedRequest {
        guard streams, case .object(var members) = body else { return self }
        members["stream"] = nil
        members["stream_options"] = nil
        var copy = self
        copy.body = .object(members)
        copy.streams = false
        copy.upstreamBytes = ByteBuffer(bytes: copy.body.canonicalBytes)
        let path = pathAndQuery.split(separator: "?", maxSplits: 1).first.map(String.init) ?? pathAndQuery
        copy.pathAndQuery = provider.wholeAnswerTarget(path: path, query: query, for: operation)
        copy.operation.streamsByPath = false
        return copy
    }
}
