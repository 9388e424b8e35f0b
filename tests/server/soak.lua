-- wrk script of the soak test: requests pipelined 4 deep on keep-alive
-- connections; every response must be 200 with exactly the bytes of one of
-- the two files given after "--" (the served file is replaced by rename,
-- alternately with each, while wrk runs). Prints "checked N responses, M
-- bad" and how many responses were of each version at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function slurp(path)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  a, b = slurp(args[1]), slurp(args[2])
  good, bad, seen_a, seen_b = 0, 0, 0, 0
  local one = wrk.format(nil, wrk.path)
  pipelined = one .. one .. one .. one
end

function request()
  return pipelined
end

function response(status, headers, body)
  if status == 200 and (body == a or body == b) then
    good = good + 1
    if body == a then seen_a = seen_a + 1 else seen_b = seen_b + 1 end
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local g, b, sa, sb = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
    sa = sa + t:get("seen_a")
    sb = sb + t:get("seen_b")
  end
  io.write(string.format("checked %d responses, %d bad\n", g + b, b))
  io.write(string.format("versions seen: %d a, %d b\n", sa, sb))
end
