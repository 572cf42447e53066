import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Reprise

/// Serves one request on a cached route (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`,
/// `/v1/responses`): validate, decide by policy, look up, forward on a miss, store, mark and account.
struct CachedRouteHandler: Sendable {
    let state: GatewayState

    func handle(_ request: Request, route: String) async -> Response {
        let started = ContinuousClock.now
        let arrival = state.clock.now
        var exchange = Exchange(outcome: RequestOutcome(route: route, status: .bypass, httpStatus: 0))
        var response: Response
        do {
            response = try await process(request, route: route, exchange: &exchange)
        } catch {
            if exchange.outcome.key == nil { exchange.outcome.status = .error }
            exchange.outcome.reason = exchange.outcome.reason ?? error.codeName
            response = error.response(extraHeaders: exchange.marks)
        }
        exchange.outcome.httpStatus = response.status.code
        exchange.outcome.latency = ContinuousClock.now - started
        account(exchange, arrival: arrival)
        return response
    }

    /// The state of one request as it moves through the handler.
    struct Exchange {
        var outcome: RequestOutcome
        var marks = HTTPFields()
        var requestBody: ByteBuffer?
        var responseBody: ByteBuffer?
    }

    private func process(_ request: Request, route: String, exchange: inout Exchange) async throws(GatewayError) -> Response {
        let parsed = try await ParsedRequest.read(request, route: route, state: state)
        exchange.requestBody = parsed.bytes
        exchange.outcome.model = parsed.model
        exchange.outcome.namespace = parsed.namespace
        exchange.outcome.stream = parsed.streams
        if parsed.streams {
            // Streamed answers are forwarded as they arrive and not cached.
            exchange.outcome.reason = "stream"
            exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(.bypass, stored: false, detail: "stream")
            exchange.marks[.repriseStatus] = RequestOutcome.Status.bypass.rawValue
            return try await PassThroughHandler(state: state).forward(request, body: parsed.bytes, marks: exchange.marks)
        }
        let decision = state.configuration.policy.decision(for: parsed.policyRequest(state: state), controls: parsed.controls)
        if let reason = decision.bypassReason {
            return try await bypass(parsed, reason: reason, exchange: &exchange)
        }
        let key = state.configuration.keyBuilder.key(namespace: parsed.namespace, route: route, body: parsed.body)
        exchange.outcome.key = key
        exchange.marks[.repriseKey] = key.hex
        var lookup = Lookup.skipped
        if decision.mayServe {
            lookup = await self.lookup(key, maximumAge: decision.maximumAge)
            if case .fresh(let entry) = lookup, !state.configuration.shadowMode {
                return hit(entry, exchange: &exchange)
            }
        }
        return try await miss(parsed, key: key, decision: decision, lookup: lookup, exchange: &exchange)
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
            if let maximumAge, entry.age(at: state.clock.now) > maximumAge { return .tooOld }
            return .fresh(entry)
        } catch {
            storeFailed(operation: "get", error: error)
            return .failed
        }
    }

    private func hit(_ entry: CacheEntry, exchange: inout Exchange) -> Response {
        let now = state.clock.now
        exchange.outcome.status = .hit
        exchange.outcome.usage = entry.usage
        exchange.outcome.cost = state.configuration.prices.cost(of: entry.usage, model: entry.model)
        exchange.marks[.cacheStatus] = CacheStatusValue.hit(remainingSeconds: now.duration(to: entry.expiresAt).wholeSeconds)
        exchange.marks[.repriseStatus] = RequestOutcome.Status.hit.rawValue
        exchange.marks[.age] = String(entry.age(at: now).wholeSeconds)
        exchange.marks[.contentType] = entry.contentType
        let body = ByteBuffer(bytes: entry.body)
        exchange.responseBody = body
        return Response(status: .init(code: entry.status), headers: exchange.marks, body: ResponseBody(byteBuffer: body))
    }

    private func bypass(_ parsed: ParsedRequest, reason: String, exchange: inout Exchange) async throws(GatewayError) -> Response {
        exchange.outcome.status = .bypass
        exchange.outcome.reason = reason
        exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(.bypass, stored: false, detail: reason)
        exchange.marks[.repriseStatus] = RequestOutcome.Status.bypass.rawValue
        let answer = try await forward(parsed, exchange: &exchange)
        return respond(with: answer.response, exchange: exchange)
    }

    private func miss(
        _ parsed: ParsedRequest, key: CacheKey, decision: CacheDecision, lookup: Lookup, exchange: inout Exchange
    ) async throws(GatewayError) -> Response {
        var forwardReason = CacheStatusValue.ForwardReason.uriMiss
        var detail: String? = state.configuration.shadowMode ? "shadow" : nil
        exchange.outcome.status = .miss
        switch lookup {
        case .missing: break
        case .skipped: forwardReason = .request
        case .tooOld: forwardReason = .stale
        case .failed:
            exchange.outcome.status = .bypass
            exchange.outcome.reason = "store-unavailable"
            forwardReason = .bypass
            detail = "store-unavailable"
        case .fresh(let entry):
            // Shadow mode: account for what would have been served, then answer from upstream anyway.
            exchange.outcome.status = .shadow
            exchange.outcome.shadowSavings = Savings(
                usage: entry.usage, cost: state.configuration.prices.cost(of: entry.usage, model: entry.model))
            forwardReason = .bypass
        }
        exchange.marks[.repriseStatus] = exchange.outcome.status.rawValue
        let answer = try await forward(parsed, exchange: &exchange)
        var stored = false
        if let json = answer.json, answer.response.isSuccess, decision.mayStore, exchange.outcome.status != .bypass {
            stored = await store(answer.response, json: json, for: key, parsed: parsed, timeToLive: decision.timeToLive)
            if !stored {
                exchange.outcome.status = .bypass
                exchange.outcome.reason = "store-unavailable"
                exchange.marks[.repriseStatus] = RequestOutcome.Status.bypass.rawValue
                forwardReason = .bypass
                detail = "store-unavailable"
            }
        }
        exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(forwardReason, stored: stored, detail: detail)
        return respond(with: answer.response, exchange: exchange)
    }

    /// An upstream answer with its body read as JSON when it is JSON.
    struct Answer {
        var response: UpstreamResponse
        var json: JSONValue?
    }

    private func forward(_ parsed: ParsedRequest, exchange: inout Exchange) async throws(GatewayError) -> Answer {
        exchange.outcome.calledUpstream = true
        let headers = HeaderForwarding.upstreamHeaders(
            from: parsed.headers, upstreamAPIKey: state.configuration.upstreamAPIKey, cachedRoute: true)
        let response = try await state.upstream.send(method: .post, path: parsed.pathAndQuery, headers: headers, body: parsed.bytes)
        exchange.outcome.upstreamLatency = response.latency
        exchange.responseBody = response.body
        let json = try? JSONParser.parse(response.body.readableBytesView)
        let usage = json.flatMap { TokenUsage(openAIResponse: $0) } ?? TokenUsage()
        exchange.outcome.usage = usage
        exchange.outcome.cost = state.configuration.prices.cost(of: usage, model: parsed.model)
        return Answer(response: response, json: json)
    }

    private func store(_ answer: UpstreamResponse, json: JSONValue, for key: CacheKey, parsed: ParsedRequest, timeToLive: Duration) async -> Bool {
        let entry = CacheEntry(
            body: Array(answer.body.readableBytesView), status: answer.status,
            contentType: answer.headers.first(name: "content-type") ?? "application/json", model: parsed.model,
            namespace: parsed.namespace, route: parsed.route, usage: TokenUsage(openAIResponse: json) ?? TokenUsage(),
            createdAt: state.clock.now, timeToLive: timeToLive, upstreamLatency: answer.latency)
        do {
            try await state.store.setEntry(entry, for: key)
            return true
        } catch {
            storeFailed(operation: "set", error: error)
            return false
        }
    }

    private func respond(with answer: UpstreamResponse, exchange: Exchange) -> Response {
        var headers = HeaderForwarding.clientHeaders(from: answer.headers)
        for field in exchange.marks { headers[field.name] = field.value }
        return Response(status: .init(code: answer.status), headers: headers, body: ResponseBody(byteBuffer: answer.body))
    }

    private func storeFailed(operation: String, error: any Error) {
        state.metrics.recordStoreError(operation: operation)
        state.logger.warning(
            "Cache store failed; answering from upstream",
            metadata: ["Reprise.store.operation": "\(operation)", "Reprise.error": "\(error)"])
    }
}

