-- PUT /api/v1/sessions/{id}/attendance, 30 marks per sheet.
-- Arguments: DATA_FILE TOKEN THREADS. DATA_FILE (written by run-http-bench) sets
-- bench_sessions = { {id = N, enrolments = {…30 ids…}}, … }.
-- Each wrk thread owns every THREADS-th session, so no two threads write the same sheet, and a
-- session's statuses rotate on every visit, so every PUT really changes all 30 rows.
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

local next_thread = 0
function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local statuses = { "present", "late", "excused", "absent" }
local mine = {}
local headers = {}
local counter = 0

function init(args)
  dofile(args[1])
  local threads = tonumber(args[3])
  for i, session in ipairs(bench_sessions) do
    if (i - 1) % threads == thread_index then
      table.insert(mine, session)
    end
  end
  headers["Authorization"] = "Bearer " .. args[2]
  headers["Content-Type"] = "application/json"
end

function request()
  local session = mine[(counter % #mine) + 1]
  local visit = math.floor(counter / #mine)
  counter = counter + 1
  local marks = {}
  for i, enrolment in ipairs(session.enrolments) do
    marks[i] = '{"enrolment_id":' .. enrolment .. ',"status":"' ..
               statuses[((visit + i) % #statuses) + 1] .. '"}'
  end
  local body = '{"marks":[' .. table.concat(marks, ",") .. ']}'
  return wrk.format("PUT", "/api/v1/sessions/" .. session.id .. "/attendance", headers, body)
end

done = report.done
