-- POST /api/v1/participants: one new person per request, each with a unique invented name
-- (letters only, so it passes name validation), confirmed as new with "not_duplicate": true.
-- Arguments: TOKEN LOCALITY_ID.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local letters = { "а", "ә", "б", "в", "г", "ғ", "д", "е", "ж", "з", "и", "й", "к", "қ", "л",
                  "м", "н", "ң", "о", "ө", "п", "р", "с", "т", "у", "ұ", "ү", "ф", "х", "һ",
                  "ш", "і" }
local headers = {}
local locality
local counter = 0

-- A number written with the letters above (base 32), so names differ without digits.
local function spell(n)
  local text = ""
  repeat
    text = letters[(n % #letters) + 1] .. text
    n = math.floor(n / #letters)
  until n == 0
  return text
end

function init(args)
  headers["Authorization"] = "Bearer " .. args[1]
  headers["Content-Type"] = "application/json"
  locality = args[2]
end

function request()
  counter = counter + 1
  local name = "Сынақ Қатысушы " .. spell(thread_index) .. "-" .. spell(counter) .. "ова"
  local body = '{"full_name":"' .. name .. '","gender":"female","birth_year":1990,' ..
               '"locality_id":' .. locality .. ',"affiliation":"community_member",' ..
               '"vulnerable":["youth"],"phone":null,"email":null,"consent":true,' ..
               '"not_duplicate":true}'
  return wrk.format("POST", "/api/v1/participants", headers, body)
end

done = report.done
