-- One wrk script for every HTTP load of bench/run, chosen by its first argument:
--   wrk … -s bench/wrk.lua URL -- get                      plain GETs of URL (static, form)
--   wrk … -s bench/wrk.lua URL -- book ROUND BASE_EPOCH    valid, distinct bookings (POST /booking)
--   wrk … -s bench/wrk.lua URL -- rush BASE_EPOCH          the same, for the rush (bench/rush.sh): studios 41-80,
--                                                          600,000 slots a thread, from tomorrow on
--   wrk … -s bench/wrk.lua URL -- bookmsg ROUND BASE_EPOCH  the same as book, with the outbox on (bench/run):
--                                                          studios 41-80 from slot 1,200,000 on, above the rush's;
--                                                          every booking gives an e-mail address
--   wrk … -s bench/wrk.lua URL -- bookout ROUND BASE_EPOCH  the same as bookmsg (its messages written, none
--                                                          sent: bench/run), from slot 1,464,000 on
--   wrk … -s bench/wrk.lua URL -- confirm REFS_FILE        GET /booking/{ref}, rotating through REFS_FILE
--   wrk … -s bench/wrk.lua URL -- avail BASE_EPOCH PATH    GET PATH?studio_id&tanggal_booking&durasi_jam, spread
--                                                          over the 40 studios, 60 days and lengths 1-4
-- book reads BENCH_COOKIE (sb_visitor=…) and BENCH_CSRF (its csrf_token) from the environment.
-- done() prints one line `WRKRESULT {json}` with rps, p50/p99 and the count of every status.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

-- Per thread (each has its own Lua state).
local mode, round, base_epoch, cookie, csrf, refs, avail_path
local n = 0
local first_slot, first_studio, new_prefix = 0, 1, "0856"
local every_email = false
counts = {}

-- Bookings of round R in thread T use slots [((R-1)*THREADS + T) * STRIDE, … + STRIDE): distinct
-- across threads and rounds. bench/run keeps pgbench's slots (its sequence) above 1,000,000.
-- 50000 a thread and round (6250 bookings/s for 8 s); more would reuse slots and show as 409s.
local STRIDE = 50000
local THREADS = 2
local SEEDED = 20000
-- The rush books 40 studios of its own (41-80, seeded inactive by bench/run), so that its minute at up to
-- 10,000 bookings/s fits before the 3650-day horizon beside every other load's slots.
local RUSH_STRIDE = 600000
-- bookmsg and bookout: 22,000 a thread and round each (5,500 bookings/s for 8 s), so that six rounds
-- of both (bench/run allows no more with them) end before the horizon (day 3600).
local BOOKMSG_FIRST, BOOKMSG_STRIDE = 2 * RUSH_STRIDE, 22000
local BOOKOUT_FIRST = BOOKMSG_FIRST + 6 * THREADS * BOOKMSG_STRIDE

local function urlencode(s)
  return (s:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+"))
end

function init(args)
  mode = args[1] or "get"
  if mode == "book" or mode == "rush" or mode == "bookmsg" or mode == "bookout" then
    if mode == "rush" then
      round, base_epoch = 0, tonumber(args[2])
      first_slot, first_studio, new_prefix = tid * RUSH_STRIDE, 41, "0855"
    else
      round, base_epoch = tonumber(args[2]), tonumber(args[3])
      first_slot = ((round - 1) * THREADS + tid) * STRIDE
      if mode == "bookmsg" then
        first_slot, first_studio, new_prefix = BOOKMSG_FIRST + ((round - 1) * THREADS + tid) * BOOKMSG_STRIDE, 41, "0853"
      elseif mode == "bookout" then
        first_slot, first_studio, new_prefix = BOOKOUT_FIRST + ((round - 1) * THREADS + tid) * BOOKMSG_STRIDE, 41, "0854"
      end
      -- Both write their messages on one channel for every booking: bookmsg the webhook, bookout
      -- e-mail, which needs an address (bench/run).
      every_email = mode == "bookmsg" or mode == "bookout"
    end
    cookie = os.getenv("BENCH_COOKIE")
    csrf = os.getenv("BENCH_CSRF")
    math.randomseed(os.time() * 17 + tid * 7919 + round * 104729)
  elseif mode == "avail" then
    base_epoch = tonumber(args[2])
    avail_path = args[3]
    math.randomseed(os.time() * 31 + tid * 7919)
  elseif mode == "confirm" then
    refs = {}
    for line in io.lines(args[2]) do
      if #line > 0 then table.insert(refs, line) end
    end
    n = tid * 37
  end
end

-- A seeded customer's phone (0819 + 8 digits) written as people type it.
local function typed_phone(d, style)
  if style == 0 then return "0819" .. d
  elseif style == 1 then return "+62 819 " .. d:sub(1, 4) .. " " .. d:sub(5)
  elseif style == 2 then return "62819" .. d
  else return "(0819) " .. d:sub(1, 4) .. "-" .. d:sub(5) end
end

local function booking_body()
  local slot = first_slot + n
  n = n + 1
  local studio = first_studio + slot % 40
  local hour = 9 + math.floor(slot / 40) % 12
  local day = math.floor(slot / 480)            -- 0 … 2083: tomorrow … tomorrow + 2083 days
  local tanggal = os.date("!%Y-%m-%d", base_epoch + day * 86400)
  local nama, telp, email, alamat
  if math.random(1, 100) <= 70 then
    local p = math.random(1, SEEDED)
    local d = string.format("%08d", p)
    nama = "Pelanggan " .. p
    telp = typed_phone(d, math.random(0, 3))
    email = (every_email or math.random(0, 1) == 1) and ("pelanggan" .. p .. "@contoh.com") or ""
    alamat = "Jl. Bench No. " .. p .. ", Jakarta"
  else
    nama = "Baru " .. slot
    telp = new_prefix .. string.format("%08d", slot)
    email = (every_email or math.random(0, 1) == 1) and ("baru" .. slot .. "@contoh.com") or ""
    alamat = "Jl. Baru No. " .. slot .. ", Bandung"
  end
  return "nama_customer=" .. urlencode(nama)
    .. "&jenis_kelamin=" .. (math.random(0, 1) == 0 and "Laki-laki" or "Perempuan")
    .. "&telp_customer=" .. urlencode(telp)
    .. "&email_customer=" .. urlencode(email)
    .. "&alamat_customer=" .. urlencode(alamat)
    .. "&studio_id=" .. studio
    .. "&tanggal_booking=" .. tanggal
    .. "&jam_booking=" .. string.format("%02d:00", hour)
    .. "&csrf_token=" .. csrf
end

function request()
  if mode == "book" or mode == "rush" or mode == "bookmsg" or mode == "bookout" then
    return wrk.format("POST", "/booking", {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, booking_body())
  elseif mode == "confirm" then
    n = n + 1
    return wrk.format("GET", "/booking/" .. refs[(n % #refs) + 1])
  elseif mode == "avail" then
    -- The days `book` fills first (tomorrow on), so that its bookings keep changing them.
    local tanggal = os.date("!%Y-%m-%d", base_epoch + math.random(0, 59) * 86400)
    return wrk.format("GET", avail_path .. "?studio_id=" .. math.random(1, 40) .. "&tanggal_booking=" .. tanggal
      .. "&durasi_jam=" .. math.random(1, 4))
  end
  return wrk.format("GET")
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, count in pairs(c or {}) do
      statuses[status] = (statuses[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(statuses) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'WRKRESULT {"requests":%d,"duration_us":%d,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"bytes":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, table.concat(parts, ",")))
end
