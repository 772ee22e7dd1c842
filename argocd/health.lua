-- Argo CD health of a homelab.io object (Edge, Tunnel, Route, Guest), from its status as the
-- operator writes it: observedGeneration, and the conditions Paused and Ready.
--   Suspended    paused (annotation homelab.io/paused, or Paused=True: annotation or dry-run)
--   Progressing  not yet looked at, an older generation, or Ready not True for a reason that is
--                work under way (a clone running, a Route waiting for its Edge, a cleanup)
--   Degraded     Ready=False for any other reason (a conflict, a refusal, a system down)
--   Healthy      Ready=True for the current generation
local hs = {}

local function condition(kind)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == kind then
      return c
    end
  end
  return nil
end

-- Reasons of a Ready that is not True yet while the operator is still at work.
local function underWay(reason)
  if reason == nil then
    return true
  end
  local exact = {
    Pending = true, ChangesPending = true, Provisioning = true, NotObserved = true,
    BackendNotReady = true, EdgeNotReady = true, PeerNotConfigured = true,
    Unexposing = true, Destroying = true,
  }
  return exact[reason] == true
    or string.find(reason, "^Waiting") ~= nil
    or string.find(reason, "^Awaiting") ~= nil
end

local meta = obj.metadata or {}
local generation = meta.generation
local annotations = meta.annotations or {}

if meta.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Being deleted: the operator is cleaning up the external systems"
  return hs
end

local paused = condition("Paused")
if annotations["homelab.io/paused"] == "true" or (paused ~= nil and paused.status == "True") then
  hs.status = "Suspended"
  if paused ~= nil and paused.status == "True" then
    hs.message = (paused.reason or "Paused") .. ": " .. (paused.message or "writes suspended")
  else
    hs.message = "Paused by the annotation homelab.io/paused"
  end
  return hs
end

if obj.status == nil or obj.status.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator"
  return hs
end

if generation ~= nil and (obj.status.observedGeneration == nil
    or obj.status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to act on generation " .. generation
  return hs
end

local ready = condition("Ready")
if ready == nil or (generation ~= nil and ready.observedGeneration ~= nil
    and ready.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Ready condition"
  return hs
end

local why = (ready.reason or "") .. ": " .. (ready.message or "")
if ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message or "Ready"
elseif ready.status == "False" and not underWay(ready.reason) then
  hs.status = "Degraded"
  hs.message = why
else
  hs.status = "Progressing"
  hs.message = why
end
return hs
