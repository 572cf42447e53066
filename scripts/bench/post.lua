-- wrk script: POST a chat completion to the gateway or the upstream.
-- BODY_KIND (from the environment): "fixed" (the same request every time: cache hits once warm),
-- "stream" (the same request with "stream": true: streamed hits), or "unique" (a new prompt every
-- request: cache misses). Prints one JSON line with the figures when done.
local kind = os.getenv("BODY_KIND") or "fixed"
local counter = 0
-- Unique prompts must differ between runs and between threads, or a later run's "misses" would be hits:
-- RUN_ID (from the environment, new for every wrk run) and the thread's number make them unique.
local run_id = os.getenv("RUN_ID") or tostring(os.time())
local threads = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"

local function body(prompt, stream)
  return '{"model":"gpt-4o-mini","stream":' .. tostring(stream) ..
    ',"messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"' ..
    prompt .. '"}]}'
end

function setup(thread)
  threads = threads + 1
  thread:set("thread_id", run_id .. "." .. threads)
end

function request()
  if kind == "unique" then
    counter = counter + 1
    return wrk.format(nil, nil, nil, body("Question " .. thread_id .. "-" .. counter .. ": what is the capital of France?", false))
  elseif kind == "stream" then
    return wrk.format(nil, nil, nil, body("What is the capital of France?", true))
  end
  return wrk.format(nil, nil, nil, body("What is the capital of France?", false))
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests_per_second":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"requests":%d,"errors":%d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, errors))
end
