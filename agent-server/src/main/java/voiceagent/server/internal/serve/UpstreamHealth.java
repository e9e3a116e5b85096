package voiceagent.server.internal.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import voiceagent.core.ElectronClient;

/**
 * What {@code /health} says about the upstream services: where each is, the Electron governor's load, and for Pulse
 * and Lightning the last time a call could not open them (a call starting cleanly since then marks them ok again).
 * Electron failures are turn failures: the caller hears the fallback line, and they are counted in {@code /metrics}.
 *
 * <p>Thread contract: thread-safe (a concurrent map of immutable values).
 */
final class UpstreamHealth {
  private final Upstreams upstreams;
  private final ElectronClient electron;
  private final Map<String, Long> lastFailureMillis = new ConcurrentHashMap<>();

  UpstreamHealth(Upstreams upstreams, ElectronClient electron) {
    this.upstreams = upstreams;
    this.electron = electron;
  }

  /** A call opened Pulse and Lightning. */
  void speechOk() {
    lastFailureMillis.remove("pulse");
    lastFailureMillis.remove("lightning");
  }

  /** A call ended because {@code service} failed. */
  void failed(String service) {
    lastFailureMillis.put(service, System.currentTimeMillis());
  }

  boolean degraded() {
    return !lastFailureMillis.isEmpty();
  }

  ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("mode", upstreams.mode());
    ObjectNode e = service(o, "electron", upstreams.electron().baseUrl());
    e.put("in_flight", electron.inFlight()).put("queue_depth", electron.queueDepth());
    service(o, "pulse", upstreams.pulse().baseUrl());
    service(o, "lightning", upstreams.lightning().baseUrl());
    return o;
  }

  private ObjectNode service(ObjectNode parent, String name, String baseUrl) {
    Long failedAt = lastFailureMillis.get(name);
    ObjectNode s = parent.putObject(name).put("base_url", baseUrl).put("state", failedAt == null ? "ok" : "failing");
    if (failedAt != null) s.put("last_failure_ms_ago", System.currentTimeMillis() - failedAt);
    return s;
  }
}
