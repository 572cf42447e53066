import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Reprise
import RepriseSemantic
import RepriseProviders

/// Serves one request on a cached route (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`,
/// `/v1/responses`, Anthropic's `/v1/messages`): validate, decide by policy, look up, forward on a miss,
/// store, mark and account.
struct CachedRouteHandler: Sendable {
    let state: GatewayState

    func handle(_ request: Request, provider: any Provider, operation: ProviderOperation) async -> Response {
        let started = ContinuousClock.now
        let arrival = state.clock.now
        var exchange = Exchange(outcome: RequestOutcome(route: operation.route, status: .bypass, httpStatus: 0), provider: provider)
        exchange.started = started
        exchange.arrival = arrival
        var response: Response
        do {
            response = try await process(request, provider: provider, operation: operation, exchange: &exchange)
        } catch {
            if exchange.outcome.key == nil { exchange.outcome.status = .error }
            exchange.outcome.reason = exchange.outcome.reason ?? error.codeName
            response = error.response(for: provider, extraHeaders: exchange.marks)
        }
        guard !exchange.accountsWhenStreamEnds else { return response }
        exchange.outcome.httpStatus = response.status.code
        exchange.outcome.latency = ContinuousClock.now - started
        account(exchange, arrival: arrival)
        return response
    }

    /// The state of one request as it moves through the handler.
    struct Exchange {
        var outcome: RequestOutcome
        /// The provider whose shape the request and its answer have.
        var provider: any Provider
        var marks = HTTPFields()
        var requestBody: ByteBuffer?
        var responseBody: ByteBuffer?
        /// A streamed response accounts for itself when its last event is written.
        var accountsWhenStreamEnds = false
        var started = ContinuousClock.now
        var arrival = EpochInstant(sinceEpoch: .zero)
    }

    private func process(
        _ request: Request, provider: any Provider, operation: ProviderOperation, exchange: inout Exchange
    ) async throws(GatewayError) -> Response {
        let parsed = try await ParsedRequest.read(request, provider: provider, operation: operation, state: state)
        exchange.requestBody = parsed.bytes
        exchange.outcome.model = parsed.model
        exchange.outcome.namespace = parsed.namespace
        exchange.outcome.stream = parsed.streams
        exchange.outcome.addedBreakpoints = parsed.addedBreakpoints
        let decision = state.configuration.policy.decision(for: parsed.policyRequest(state: state), controls: parsed.controls)
        if let reason = parsed.providerStateReason ?? decision.bypassReason {
            return try await bypass(parsed, reason: reason, exchange: &exchange)
        }
        let key = parsed.key(state: state)
        exchange.outcome.key = key
        exchange.marks[.repriseKey] = key.hex
        var lookup = Lookup.skipped
        if decision.mayServe {
            lookup = await self.lookup(key, maximumAge: decision.maximumAge)
            if case .fresh(let entry) = lookup, !state.configuration.shadowMode {
                return hit(entry, parsed: parsed, exchange: &exchange)
            }
        }
        let (match, semanticPlan) = await semanticLookup(parsed, decision: decision, lookup: lookup, exchange: &exchange)
        if let match {
            guard state.configuration.shadowMode else { return semanticHit(match, parsed: parsed, exchange: &exchange) }
            // Shadow mode accounts for what the semantic match would have saved, then asks upstream anyway.
            lookup = .fresh(match.entry)
        }
        return try await miss(parsed, key: key, decision: decision, lookup: lookup, semantic: semanticPlan, exchange: &exchange)
    }

    /// What the cache had for the key.
    enum Lookup {
        case skipped
        case missing
        case tooOld
        case fresh(CacheEntry)
        case failed
    }

    private func lookup(_ key: CacheKey, maximumAge: Duration?) async -> Lookup {
        do {
            guard let entry = try await state.store.entry(for: key) else { return .missing }
            guard entry.isServable else {
                await drop(entry, key: key)
                return .missing
            }
            if let maximumAge, entry.age(at: state.clock.now) > maximumAge { return .tooOld }
            return .fresh(entry)
        } catch {
            storeFailed(operation: "get", error: error)
            return .failed
        }
    }

    private func hit(_ entry: CacheEntry, parsed: ParsedRequest, exchange: inout Exchange) -> Response {
        serve(entry, parsed: parsed, status: .hit, detail: nil, exchange: &exchange)
    }

    /// Answers from `entry`, whole or replayed as events, marked with `status` and the `Cache-Status` detail.
    func serve(
        _ entry: CacheEntry, parsed: ParsedRequest, status: RequestOutcome.Status, detail: String?, exchange: inout Exchange
    ) -> Response {
        let now = state.clock.now
        exchange.outcome.status = status
        exchange.outcome.usage = entry.usage
        exchange.outcome.cost = state.configuration.prices.cost(of: entry.usage, model: entry.model)
        exchange.marks[.cacheStatus] = CacheStatusValue.hit(remainingSeconds: now.duration(to: entry.expiresAt).wholeSeconds, detail: detail)
        exchange.marks[.repriseStatus] = status.rawValue
        exchange.marks[.age] = String(entry.age(at: now).wholeSeconds)
        let body = ByteBuffer(bytes: entry.body)
        exchange.responseBody = body
        if parsed.streams, let replay = replay(body, for: parsed, marks: exchange.marks) {
            return replay
        }
        var headers = exchange.marks
        headers[.contentType] = entry.contentType
        return Response(status: .init(code: entry.status), headers: headers, body: ResponseBody(byteBuffer: body))
    }

    private func bypass(_ parsed: ParsedRequest, reason: String, exchange: inout Exchange) async throws(GatewayError) -> Response {
        exchange.outcome.status = .bypass
        exchange.outcome.reason = reason
        exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(.bypass, stored: false, detail: reason)
        exchange.marks[.repriseStatus] = RequestOutcome.Status.bypass.rawValue
        exchange.outcome.calledUpstream = true
        if parsed.streams {
            // Not cached, so nothing to record: the stream passes straight through.
            return try await PassThroughHandler(state: state).forward(parsed, marks: exchange.marks)
        }
        let answer = try await callWhole(parsed)
        account(answer, exchange: &exchange)
        var fields = HeaderForwarding.clientHeaders(from: answer.headers)
        for field in exchange.marks { fields[field.name] = field.value }
        return Response(status: .init(code: answer.status), headers: fields, body: ResponseBody(byteBuffer: answer.body))
    }

    /// Removes an entry that must not be served, so that it is asked for upstream and stored anew.
    func drop(_ entry: CacheEntry, key: CacheKey) async {
        state.logger.warning(
            "Dropped a cached entry that cannot be served (error status or impossible token usage)",
            metadata: ["Reprise.key": "\(key.hex)", "Reprise.http.status": "\(entry.status)"])
        do {
            try await state.store.removeEntry(for: key)
        } catch {
            storeFailed(operation: "delete", error: error)
        }
    }

    func storeFailed(operation: String, error: any Error) {
        state.metrics.recordStoreError(operation: operation)
        // While the breaker is open every request would say so; the breaker logs its own state changes.
        let level: Logger.Level = (error as? CacheStoreError)?.kind == "circuit-open" ? .debug : .warning
        state.logger.log(
            level: level,
            "Cache store failed; answering from upstream",
            metadata: ["Reprise.store.operation": "\(operation)", "Reprise.error": "\(error)"])
    }
}

