import Hummingbird
import Logging
import NIOCore
import Reprise
import RepriseSemantic

/// The admin API, enabled only when an admin token is configured and requiring it as a bearer token:
/// `GET /admin/stats` and `DELETE /admin/cache`.
struct AdminHandler: Sendable {
    let state: GatewayState

    func handle(_ request: Request) async throws(GatewayError) -> Response {
        guard let token = state.configuration.adminToken else { throw .adminDisabled() }
        // Only as a bearer token (the scheme's name is case-insensitive, RFC 9110 §11.1): a bare token in
        // `Authorization` is a client that was not told how to send it.
        let presented = request.headers[.authorization].flatMap { value -> String? in
            guard value.count > 7, value.prefix(7).lowercased() == "bearer " else { return nil }
            return String(value.dropFirst(7))
        }
        guard let presented, ClientCredentials.constantTimeEquals(presented, token) else { throw .adminUnauthorized() }
        switch (request.method, request.uri.path) {
        case (.get, "/admin/stats"): return json(await statistics())
        case (.delete, "/admin/cache"): return json(try await purge(request.uri.queryParameters))
        default: throw .notFound(path: request.uri.path)
        }
    }

    /// Removes one key, one namespace, one model (namespace and model combine), or everything with
    /// `all=true`; an empty query is refused so a stray request cannot wipe the cache.
    private func purge(_ query: Parameters) async throws(GatewayError) -> JSONValue {
        let removed: Int
        do {
            if let hex = query["key"] {
                guard let key = CacheKey(hex: String(hex)) else { throw GatewayError.invalidAdminRequest("'key' must be 64 hex digits, as in X-Reprise-Key.") }
                removed = try await state.store.removeEntry(for: key) ? 1 : 0
            } else if query["namespace"] != nil || query["model"] != nil {
                let filter = CachePurgeFilter(namespace: query["namespace"].map(String.init), model: query["model"].map(String.init))
                removed = try await state.store.removeEntries(matching: filter)
            } else if query["all"] == "true" {
                removed = try await state.store.removeEntries(matching: .everything)
            } else {
                throw GatewayError.invalidAdminRequest("Name what to remove: ?key=…, ?namespace=…, ?model=… or ?all=true.")
            }
        } catch let error as GatewayError {
            throw error
        } catch let error as CacheStoreError where error.isUnsupported {
            throw .invalidAdminRequest(error.message)
        } catch {
            throw .invalidAdminRequest("The cache store failed to purge: \(error).")
        }
        guard state.store.countsEntriesExactly else {
            state.logger.notice("Cache purged by admin request", metadata: ["Reprise.store.removed": "uncounted"])
            return [
                "removed": .null,
                "note": "This store cannot count what a purge removes; every matching entry now reads as a miss.",
            ]
        }
        state.logger.notice("Cache purged by admin request", metadata: ["Reprise.store.removed": "\(removed)"])
        return ["removed": .number(JSONNumber(removed))]
    }

    /// Cacheable upstream calls under way now and the requests waiting on them (more requests than calls
    /// means coalescing is saving calls at this moment), and the gateway's background jobs not yet ended
    /// (those upstream calls, semantic indexing and verification).
    private func inFlight() -> JSONValue {
        let load = state.flights.load
        return [
            "upstream_calls": number(load.flights), "waiting_requests": number(load.participants),
            "background_jobs": number(state.background.unfinishedJobs),
        ]
    }

    private func statistics() async -> JSONValue {
        let totals = state.statistics.snapshot
        let cacheable = totals.hits + totals.semanticHits + totals.misses + totals.shadowWouldHit + totals.coalesced + totals.stale
        var body: [String: JSONValue] = [
            "since": .string(state.statistics.startedAt.iso8601),
            "shadow_mode": .bool(state.configuration.shadowMode),
            "requests": number(totals.requests),
            "hits": number(totals.hits),
            "semantic_hits": number(totals.semanticHits),
            "misses": number(totals.misses),
            "coalesced": number(totals.coalesced),
            "stale": number(totals.stale),
            "bypassed": number(totals.bypassed),
            "errors": number(totals.errors),
            "hit_rate": .number(JSONNumber(cacheable == 0 ? 0 : Double(totals.hits + totals.semanticHits) / Double(cacheable))),
            "saved": [
                "prompt_tokens": number(totals.savedPromptTokens),
                "completion_tokens": number(totals.savedCompletionTokens),
                "tokens": number(totals.savedPromptTokens + totals.savedCompletionTokens),
                "dollars": .number(JSONNumber(totals.savedDollars.roundedDollars)),
            ],
            "shadow": [
                "would_hit": number(totals.shadowWouldHit),
                "would_save_tokens": number(totals.shadowSavedTokens),
                "would_save_dollars": .number(JSONNumber(totals.shadowSavedDollars.roundedDollars)),
            ],
            "upstream": ["calls": number(totals.upstreamCalls), "dollars": .number(JSONNumber(totals.upstreamDollars.roundedDollars))],
            "in_flight": inFlight(),
            "provider_cache": providerCache(totals),
            "semantic": semantic(totals),
            "unpriced_models": .array(totals.unpricedModels.sorted().map(JSONValue.string)),
            "prices_as_of": .string(PriceTable.builtInDate),
        ]
        if let store = try? await state.store.statistics() {
            var storeBody: [String: JSONValue] = [
                "entries": number(store.entries), "bytes": number(store.bytes), "evictions": number(store.evictions),
                "expirations": number(store.expirations), "unreadable_entries": number(store.unreadableEntries),
                "oversized_entries": number(store.oversizedEntries), "counts_exactly": .bool(state.store.countsEntriesExactly),
            ]
            storeBody["capacity_bytes"] = store.capacityBytes.map(number) ?? .null
            body["store"] = .object(storeBody)
        } else {
            body["store"] = ["error": "the cache store did not answer"]
        }
        return .object(body)
    }

    /// What the providers' own prompt caches did, apart from what the response cache saved; and the part
    /// due to the breakpoints the gateway added.
    private func providerCache(_ totals: GatewayStatistics.Totals) -> JSONValue {
        func figures(_ effect: PromptCacheEffect) -> [String: JSONValue] {
            [
                "read_tokens": number(effect.readTokens), "write_tokens": number(effect.writeTokens),
                "saved_dollars": .number(JSONNumber(effect.savedDollars.roundedDollars)),
                "write_dollars": .number(JSONNumber(effect.writeDollars.roundedDollars)),
                "net_dollars": .number(JSONNumber(effect.netDollars.roundedDollars)),
            ]
        }
        var automatic = figures(totals.breakpointPromptCache)
        automatic["enabled"] = .bool(state.configuration.promptCacheBreakpoints.isEnabled)
        automatic["requests"] = number(totals.breakpointRequests)
        var body = figures(totals.promptCache)
        body["auto_breakpoints"] = .object(automatic)
        return .object(body)
    }

    /// Semantic matching: whether it is on, its hits, and what shadow verification measured of them.
    private func semantic(_ totals: GatewayStatistics.Totals) -> JSONValue {
        guard let semantic = state.semantic, let verification = state.verification else { return ["enabled": false] }
        let tally = verification.tally
        var verified: [String: JSONValue] = [
            "rate": .number(JSONNumber(verification.rate)), "agreed": number(tally.agreed), "disagreed": number(tally.disagreed),
            "failed": number(tally.failed), "skipped": number(tally.skipped),
            "dollars": .number(JSONNumber(tally.dollars.roundedDollars)),
            "false_hit_rate": .null, "false_hit_rate_95": .null,
        ]
        if let estimate = tally.falseHitRate {
            verified["false_hit_rate"] = .number(JSONNumber(estimate.rate))
            verified["false_hit_rate_95"] = [.number(JSONNumber(estimate.lower)), .number(JSONNumber(estimate.upper))]
        }
        return [
            "enabled": true, "embedder": .string(semantic.embedderName),
            "default_threshold": .number(JSONNumber((Double(state.configuration.policy.semanticThreshold) * 10_000).rounded() / 10_000)),
            "hits": number(totals.semanticHits), "verification": .object(verified),
        ]
    }

    private func number(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    private func json(_ value: JSONValue) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.canonicalBytes)))
    }
}
