-- wrk script: GET PATH_PREFIX .. <bydel> .. PATH_SUFFIX, cycling through the values in BYDEL_FILE
-- (one a line, UTF-8; percent-encoded here). Each wrk thread starts at a different value.
local prefix = os.getenv("PATH_PREFIX")
local suffix = os.getenv("PATH_SUFFIX") or ""
local values = {}
for line in io.lines(os.getenv("BYDEL_FILE")) do
  if line ~= "" then
    values[#values + 1] = line:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end)
  end
end
local paths = {}
for i, v in ipairs(values) do paths[i] = prefix .. v .. suffix end

local counter = 1
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("start", threads * 17)
end
function init(args)
  counter = (start or 0)
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
