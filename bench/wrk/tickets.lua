-- wrk load script for `sladesk serve`: customers opening tickets with
-- realistic bodies and replying to the tickets they opened.
--
-- Environment:
--   SLADESK_TOKEN   bearer token of a customer contact (required)
--   SLADESK_MODE    "create" (only creates, the default) or "mixed"
--                   (two creates, then one public reply to one of the
--                   last 1,024 tickets this thread opened, so a ticket's
--                   conversation grows as in a real queue instead of a few
--                   tickets collecting every reply)
--                   "queue": an agent's queue through the full ticket list,
--                   GET /api/v1/tickets of the 25 most urgent open tickets
--                   "queueview": the same page through the queue view,
--                   GET /api/v1/queue (SLADESK_TOKEN an agent's for both)
--   SLADESK_DELAY_MS  pause before each request (pacing for a fixed rate:
--                   rate ~= connections * 1000 / (delay + latency))
local token = os.getenv("SLADESK_TOKEN") or error("set SLADESK_TOKEN")
local mode = os.getenv("SLADESK_MODE") or "create"
local delay_ms = tonumber(os.getenv("SLADESK_DELAY_MS") or "0")

local subjects = {
  "CSV export of the monthly revenue report fails with HTTP 500",
  "Dashboard widgets stay empty after the latest release",
  "SSO login through Okta loops back to the sign-in page",
  "Webhook deliveries to our endpoint are delayed by several hours",
  "API returns 429 although we are below the documented rate limit",
  "Scheduled report e-mails are not sent on Mondays",
  "Push notifications not received on Android 14 devices",
  "Cannot invite new team members: the invite link has expired",
}
local areas = { "Reporting", "Integrations", "Authentication", "Notifications", "API" }
local severities = { "urgent", "high", "normal", "low" }

local counter = 0
local created = {}       -- ring of the newest ticket numbers this thread opened
local created_next = 0
local kRing = 1024
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end

local function ticket_body(n)
  local s = subjects[(n % #subjects) + 1]
  return string.format([[{"subject": "%s",
 "description": "Since this morning %s. It affects about 40 users across two departments; we first noticed it at 08:10 CET after the overnight sync. Clearing the browser cache and retrying from another network did not help.",
 "steps_to_reproduce": "1. Sign in as a finance user\n2. Open Reports > Monthly revenue\n3. Click Export > CSV\n4. The download fails after about 20 seconds",
 "business_impact": "Finance cannot close the month until the export works; the board pack is due on Friday.",
 "product_area": "%s",
 "error_details": "HTTP 500 Internal Server Error, request id 7f3a9c2e-%06d, timestamp 2026-11-20T08:12:44Z",
 "channel": "email",
 "severity": "%s"}]], s, string.lower(s), areas[(n % #areas) + 1], n % 1000000, severities[(n % #severities) + 1])
end

local reply_body = [[{"body": "Thanks for looking into this. I attached the HAR file from the failing export and can reproduce it every time with the steps above. Our finance team is available for a screen share today between 14:00 and 16:00 CET if that helps."}]]

function request()
  counter = counter + 1
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  if mode == "queue" then
    return wrk.format("GET", "/api/v1/tickets?sort=urgency&status=new,open&limit=25", headers)
  end
  if mode == "queueview" then
    return wrk.format("GET", "/api/v1/queue?status=new,open&limit=25", headers)
  end
  if mode == "mixed" and counter % 3 == 0 and #created > 0 then
    local n = created[((counter * 7919) % #created) + 1]
    return wrk.format("POST", "/api/v1/tickets/" .. n .. "/messages", headers, reply_body)
  end
  return wrk.format("POST", "/api/v1/tickets", headers, ticket_body(counter + (tid or 0) * 1000003))
end

function response(status, headers, body)
  if status ~= 200 and (mode == "queue" or mode == "queueview") then
    error("queue view answered " .. status .. ": " .. body)
  end
  if status == 201 and mode == "mixed" then
    -- A reply's answer names its ticket too ("ticket_number"): only creates count.
    local n = not string.find(body, '"ticket_number"', 1, true) and string.match(body, '"number":(%d+)')
    if n then
      created[created_next % kRing + 1] = n
      created_next = created_next + 1
    end
  end
end

function delay()
  return delay_ms
end

function done(summary, latency, requests)
  io.write(string.format("sladesk: %d requests, %d non-2xx/3xx, %d socket errors (connect %d, read %d, write %d, timeout %d)\n",
    summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("sladesk: p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
