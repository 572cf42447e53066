import Hummingbird
import NIOCore
import NIOHTTP1
import Reprise
import RepriseProviders

extension CachedRouteHandler {
    /// Answers one participant of a flight: live as Server-Sent Events when the client streams and the
    /// upstream streams, otherwise from the flight's result (replayed as events if the client streams).
    func answer(_ parsed: ParsedRequest, from participation: Participation, exchange: inout Exchange) async throws(GatewayError) -> Response {
        let events = participation.flight.subscribe()
        for await event in events {
            switch event {
            case .head(let status, let headers) where parsed.streams && (200..<300).contains(status)
                && (headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") ?? false):
                return liveStream(
                    status: status, headers: headers, participation: participation,
                    removesUsageChunk: parsed.hidesUsageChunk, exchange: &exchange)
            case .head, .chunk:
                continue
            case .finished(let result):
                state.flights.leave(participation.key, flight: participation.flight)
                return try await respond(with: result, parsed: parsed, participation: participation, exchange: &exchange)
            }
        }
        state.flights.leave(participation.key, flight: participation.flight)
        throw .upstreamUnreachable((try? state.upstream(for: parsed))?.client.baseURL ?? "the upstream")
    }

    private func respond(
        with result: FlightResult, parsed: ParsedRequest, participation: Participation, exchange: inout Exchange
    ) async throws(GatewayError) -> Response {
        let answer: FlightAnswer
        switch result {
        case .failed(let error):
            if let stale = await staleAnswer(parsed, participation: participation, exchange: &exchange) { return stale }
            throw error
        case .answered(let answered):
            answer = answered
        }
        if answer.status >= 500, let stale = await staleAnswer(parsed, participation: participation, exchange: &exchange) {
            return stale
        }
        record(answer, parsed: parsed, participation: participation, exchange: &exchange)
        if answer.streamed, answer.isSuccess, !answer.isComplete { throw .upstreamStreamIncomplete() }
        // An error object the upstream answered with a 200 goes to a streaming client as the upstream sent
        // it: replayed as events it would read as an empty success.
        if parsed.streams, answer.isSuccess, !Self.isErrorObject(answer.json),
            let replay = replay(answer.body, for: parsed, marks: exchange.marks)
        {
            return replay
        }
        // An assembled stream is JSON now; anything else (an error the upstream answered instead of a stream)
        // keeps the upstream's headers, `retry-after` and rate-limit headers included.
        var headers = HeaderForwarding.clientHeaders(from: answer.headers)
        if answer.assembled { headers[.contentType] = "application/json" }
        for field in exchange.marks { headers[field.name] = field.value }
        return Response(status: .init(code: answer.status), headers: headers, body: ResponseBody(byteBuffer: answer.body))
    }

    /// Whether `json` is an error object (`{"error": …}`, or Anthropic's `{"type": "error", …}`).
    static func isErrorObject(_ json: JSONValue?) -> Bool {
        guard let json else { return false }
        if let error = json["error"], error != .null { return true }
        return json["type"]?.stringValue == "error"
    }

    /// Notes what the answer cost or saved, and marks the response.
    private func record(_ answer: FlightAnswer, parsed: ParsedRequest, participation: Participation, exchange: inout Exchange) {
        account(answer, exchange: &exchange)
        let coalesced = exchange.outcome.status == .coalesced
        if answer.isSuccess, !answer.stored, !coalesced, exchange.outcome.status == .miss, participation.detail == nil,
            exchange.outcome.reason == nil
        {
            if let refusal = answer.storeRefusal {
                exchange.outcome.reason = refusal
            } else if answer.json == nil || !answer.isComplete {
                exchange.outcome.reason = "not-cacheable"
            }
        }
        exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(
            participation.forwardReason, stored: answer.stored && !coalesced, collapsed: coalesced, detail: participation.detail)
    }

    /// Passes the upstream's events to the client as they arrive, from the flight's recording.
    /// - Parameter removesUsageChunk: the client did not ask for the usage chunk, which the gateway may have
    ///   asked the upstream for.
    private func liveStream(
        status: Int, headers: HTTPHeaders, participation: Participation, removesUsageChunk: Bool, exchange: inout Exchange
    ) -> Response {
        exchange.accountsWhenStreamEnds = true
        // Whether the answer will be stored is known only at the end of the stream.
        exchange.marks[.cacheStatus] = CacheStatusValue.forwarded(
            participation.forwardReason, stored: false, collapsed: exchange.outcome.status == .coalesced,
            detail: participation.detail)
        var fields = HeaderForwarding.clientHeaders(from: headers)
        let marks = exchange.marks
        for field in marks { fields[field.name] = field.value }
        let initial = exchange
        return Response(
            status: .init(code: status), headers: fields,
            body: ResponseBody { [self] writer in
                var exchange = initial
                var result: FlightResult?
                var filter = removesUsageChunk ? UsageChunkFilter() : nil
                defer { state.flights.leave(participation.key, flight: participation.flight) }
                do {
                    for await event in participation.flight.subscribe() {
                        switch event {
                        case .chunk(let chunk):
                            if filter == nil {
                                try await writer.write(chunk)
                            } else if let kept = filter?.filter(chunk), kept.readableBytes > 0 {
                                try await writer.write(kept)
                            }
                        case .finished(let finished): result = finished
                        case .head: continue
                        }
                    }
                    if let rest = filter?.finish(), rest.readableBytes > 0 { try await writer.write(rest) }
                } catch {
                    exchange.outcome.reason = "client-disconnected"
                    finishStream(exchange, result: result, participation: participation, httpStatus: 499)
                    throw error
                }
                finishStream(exchange, result: result, participation: participation, httpStatus: status)
                guard case .answered(let answer) = result, answer.isComplete else {
                    throw GatewayError.upstreamStreamIncomplete()
                }
                try await writer.finish(nil)
            })
    }

    private func finishStream(_ exchange: Exchange, result: FlightResult?, participation: Participation, httpStatus: Int) {
        var exchange = exchange
        if case .answered(let answer) = result {
            account(answer, exchange: &exchange)
            if !answer.isComplete { exchange.outcome.reason = exchange.outcome.reason ?? "stream-incomplete" }
        } else if result != nil {
            exchange.outcome.reason = exchange.outcome.reason ?? "upstream-failed"
        }
        exchange.outcome.httpStatus = httpStatus
        exchange.outcome.latency = ContinuousClock.now - exchange.started
        account(exchange, arrival: exchange.arrival)
    }

    /// Notes what `answer` cost (or, for a coalesced request, saved), what the provider's prompt cache did
    /// in the call this request made itself, and its upstream latency.
    func account(_ answer: FlightAnswer, exchange: inout Exchange) {
        let model = exchange.outcome.model ?? ""
        var usage = answer.json.flatMap(exchange.provider.usage(of:)) ?? TokenUsage()
        if !usage.isPlausible {
            // Passed through as the upstream sent it, but neither stored nor believed.
            usage = TokenUsage()
            exchange.outcome.reason = exchange.outcome.reason ?? "implausible-usage"
        }
        exchange.responseBody = answer.body
        exchange.outcome.usage = usage
        let priced = exchange.provider.pricedModel(requestModel: model, answer: answer.json)
        exchange.outcome.cost = state.configuration.prices.cost(of: usage, model: priced)
        guard exchange.outcome.status != .coalesced else { return }
        exchange.outcome.upstreamLatency = answer.latency
        exchange.outcome.upstream = answer.upstream
        exchange.outcome.promptCache = state.configuration.prices.price(for: priced)?.promptCacheEffect(of: usage)
            ?? PromptCacheEffect(readTokens: usage.cachedPromptTokens, writeTokens: usage.cacheWriteTokens)
    }

    /// A cached answer replayed as the upstream's own event stream, or `nil` when the route does not stream.
    func replay(_ body: ByteBuffer, for parsed: ParsedRequest, marks: HTTPFields) -> Response? {
        guard let json = try? JSONParser.parse(body.readableBytesView),
            let events = parsed.provider.replay(json, for: parsed.operation, request: parsed.body)
        else {
            return nil
        }
        let pacing = state.configuration.replayPacing
        var headers = marks
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        guard pacing > .zero else {
            // Unpaced, the whole replay goes out in one write.
            var buffer = ByteBuffer()
            for event in events { buffer.writeString(event.encoded) }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
        }
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for (position, event) in events.enumerated() {
                    if position > 0 { try await Task.sleep(for: pacing) }
                    try await writer.write(ByteBuffer(string: event.encoded))
                }
                try await writer.finish(nil)
            })
    }

    /// An expired entry served because the upstream failed, when the configuration allows it.
    private func staleAnswer(_ parsed: ParsedRequest, participation: Participation, exchange: inout Exchange) async -> Response? {
        let window = state.configuration.staleIfError
        guard window > .zero, participation.mayServeStale,
            let entry = try? await state.store.entry(for: participation.key, allowingStaleness: window), entry.isServable
        else { return nil }
        exchange.outcome.reason = "stale-if-error"
        return serve(entry, parsed: parsed, status: .stale, detail: "stale-if-error", exchange: &exchange)
    }
}
