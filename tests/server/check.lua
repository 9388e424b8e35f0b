-- wrk script: every response must be 200 with exactly the bytes of the file
-- given after "--" (wrk's LuaJIT interns strings, so the comparison of a
-- whole body with the expected one is cheap). Prints "checked N responses,
-- M bad" at the end.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(args[1], "rb"))
  expected = f:read("*a")
  f:close()
  good, bad = 0, 0
end

function response(status, headers, body)
  if status == 200 and body == expected then
    good = good + 1
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local g, b = 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
  end
  io.write(string.format("checked %d responses, %d bad\n", g + b, b))
end
