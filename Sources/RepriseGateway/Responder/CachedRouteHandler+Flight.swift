import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Reprise
import RepriseProviders
import RepriseSemantic

extension CachedRouteHandler {
    /// A cacheable request the cache could not answer: join the flight for its key (leading it when there
    /// is none), and answer from the flight's result, streamed or whole as the client asked.
    func miss(
        _ parsed: ParsedRequest, key: CacheKey, decision: CacheDecision, lookup: Lookup, semantic: SemanticPlan? = nil,
        exchange: inout Exchange
    ) async throws(GatewayError) -> Response {
        var forwardReason = CacheStatusValue.ForwardReason.uriMiss
        var detail: String? = state.configuration.shadowMode ? "shadow" : nil
        var mayStore = decision.mayStore
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
            mayStore = false
        case .fresh(let entry):
            // Shadow mode: account for what would have been served, then answer from upstream anyway.
            exchange.outcome.status = .shadow
            exchange.outcome.shadowSavings = Savings(
                usage: entry.usage, cost: state.configuration.prices.cost(of: entry.usage, model: entry.model))
            forwardReason = .bypass
        }
        let flight: Flight
        switch state.flights.join(key) {
        case .lead(let led):
            flight = led
            let plan = FlightPlan(
                parsed: parsed, key: key, timeToLive: decision.timeToLive, mayStore: mayStore, semantic: semantic,
                semanticallyIndexable: decision.semanticallyIndexable)
            if !flight.start(on: state.background, { [self] in await fly(flight, plan: plan) }) {
                // The gateway is stopping: its background work takes no more calls.
                flight.publish(.finished(.failed(.upstreamUnreachable("the upstream (the gateway is shutting down)"))))
                state.flights.finish(key, flight: flight)
            }
            exchange.outcome.calledUpstream = true
        case .follow(let followed):
            flight = followed
            exchange.outcome.status = .coalesced
        }
        exchange.marks[.repriseStatus] = exchange.outcome.status.rawValue
        let participation = Participation(
            flight: flight, key: key, forwardReason: forwardReason, detail: detail, mayServeStale: decision.mayServe)
        return try await answer(parsed, from: participation, exchange: &exchange)
    }

    /// What the leader's upstream call needs to know.
    struct FlightPlan: Sendable {
        var parsed: ParsedRequest
        var key: CacheKey
        var timeToLive: Duration
        var mayStore: Bool
        /// The query and embedding to index the answer under, when the request was matched semantically.
        var semantic: SemanticPlan?
        /// Whether an answer stored without ``semantic`` may be embedded and indexed afterwards.
        var semanticallyIndexable = false
    }

    /// One request's part in a flight.
    struct Participation: Sendable {
        var flight: Flight
        var key: CacheKey
        var forwardReason: CacheStatusValue.ForwardReason
        var detail: String?
        var mayServeStale: Bool
    }

    /// Makes the upstream call for a flight, publishing what arrives, then stores a complete answer.
    func fly(_ flight: Flight, plan: FlightPlan) async {
        let result: FlightResult
        do {
            var answer: FlightAnswer
            if plan.parsed.streams {
                let recorded = plan.mayStore && state.configuration.asksForStreamUsage ? plan.parsed.forRecording() : plan.parsed
                answer = try await callStreaming(recorded, flight: flight)
            } else {
                answer = try await callWhole(plan.parsed)
            }
            if answer.isSuccess, answer.isComplete, plan.mayStore, let json = answer.json {
                answer.storeRefusal = storeRefusal(json, provider: plan.parsed.provider)
                if answer.storeRefusal == nil { answer.stored = await store(answer, plan: plan) }
            }
            result = .answered(answer)
        } catch {
            result = .failed(error)
        }
        flight.publish(.finished(result))
        state.flights.finish(plan.key, flight: flight)
    }

    /// Why a complete success must not be stored: a body that reports an error (some upstreams and proxies
    /// answer 200 with `{"error": …}`, or `{"type": "error", …}` in Anthropic's shape), or token usage no
    /// upstream could really report, which would be accounted on every hit.
    func storeRefusal(_ json: JSONValue, provider: any Provider) -> String? {
        if provider.reportsError(json) { return "error-body" }
        if provider.usage(of: json).map({ !$0.isPlausible }) ?? false {
            state.logger.warning(
                "The upstream reported impossible token usage; the answer is passed on but neither stored nor accounted",
                metadata: ["Reprise.provider": "\(provider.name)"])
            return "implausible-usage"
        }
        return nil
    }

    func callWhole(_ parsed: ParsedRequest) async throws(GatewayError) -> FlightAnswer {
        let upstream = try state.upstream(for: parsed)
        let response = try await upstream.client.send(
            method: .post, path: state.upstreamTarget(parsed.pathAndQuery, provider: parsed.provider, upstream: upstream), headers: state.upstreamHeaders(from: parsed.headers, provider: parsed.provider, upstream: upstream, cachedRoute: true),
            body: parsed.upstreamBytes)
        return FlightAnswer(
            status: response.status, headers: response.headers, body: response.body,
            json: try? JSONParser.parse(response.body.readableBytesView), latency: response.latency, streamed: false,
            isComplete: true, stored: false, upstream: upstream.name)
    }

    /// Streams the upstream's answer into the flight chunk by chunk, recording and assembling it.
    private func callStreaming(_ parsed: ParsedRequest, flight: Flight) async throws(GatewayError) -> FlightAnswer {
        let started = ContinuousClock.now
        let upstream = try state.upstream(for: parsed)
        let response = try await upstream.client.stream(
            method: .post, path: state.upstreamTarget(parsed.pathAndQuery, provider: parsed.provider, upstream: upstream), headers: state.upstreamHeaders(from: parsed.headers, provider: parsed.provider, upstream: upstream, cachedRoute: true),
            body: parsed.upstreamBytes)
        let status = response.status
        flight.publish(.head(status: status, headers: response.headers))
        let isEventStream = (200..<300).contains(status)
            && (response.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false)
        var parser = ServerSentEventParser()
        var assembler = parsed.provider.makeAssembler(for: parsed.operation)
        var whole = ByteBuffer()
        do {
            for try await chunk in response.body {
                flight.publish(.chunk(chunk))
                if isEventStream {
                    for event in parser.consume(chunk.readableBytesView) { assembler?.consume(event) }
                } else if whole.readableBytes < state.configuration.maximumResponseBytes {
                    whole.writeImmutableBuffer(chunk)
                }
            }
        } catch {
            // The stream broke off or the last client left: the client sees the failure, nothing is stored.
            throw error is CancellationError ? .upstreamUnreachable(upstream.client.baseURL) : upstream.client.map(error)
        }
        let json = isEventStream ? assembler?.assembledBody() : try? JSONParser.parse(whole.readableBytesView)
        return FlightAnswer(
            status: status, headers: response.headers,
            body: isEventStream ? ByteBuffer(bytes: json?.canonicalBytes ?? []) : whole, json: json,
            latency: ContinuousClock.now - started, streamed: true, isComplete: !isEventStream || assembler?.isComplete == true,
            stored: false, assembled: isEventStream, upstream: upstream.name)
    }

    private func store(_ answer: FlightAnswer, plan: FlightPlan) async -> Bool {
        let contentType = answer.streamed ? "application/json" : answer.headers.first(name: "content-type") ?? "application/json"
        let entry = CacheEntry(
            body: Array(answer.body.readableBytesView), status: answer.status, contentType: contentType,
            model: plan.parsed.provider.pricedModel(requestModel: plan.parsed.model, answer: answer.json), namespace: plan.parsed.namespace,
            route: plan.parsed.route,
            usage: answer.json.flatMap(plan.parsed.provider.usage(of:)) ?? TokenUsage(), createdAt: state.clock.now,
            timeToLive: plan.timeToLive, upstreamLatency: answer.latency, staleRetention: state.configuration.staleIfError,
            semantic: plan.semantic.map { SemanticSource(scope: $0.query.scope, text: $0.query.text, vector: $0.vector) })
        do {
            try await state.store.setEntry(entry, for: plan.key)
            if let semantic = state.semantic {
                if let source = entry.semantic {
                    semantic.remember(plan.key, source: source, namespace: entry.namespace, expiresAt: entry.expiresAt)
                } else if plan.semanticallyIndexable, let query = plan.parsed.semanticQuery(keyBuilder: state.configuration.keyBuilder) {
                    semantic.indexInBackground(entry, key: plan.key, query: query)
                }
            }
            return true
        } catch {
            storeFailed(operation: "set", error: error)
            return false
        }
    }
}
