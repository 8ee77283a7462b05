-- GET /livez on keep-alive connections: the transport's own ceiling (no database, no auth).
package.path = debug.getinfo(1, "S").source:match("@(.*/)") .. "?.lua;" .. package.path
local report = require("report")

wrk.method = "GET"
wrk.path = "/livez"

done = report.done
