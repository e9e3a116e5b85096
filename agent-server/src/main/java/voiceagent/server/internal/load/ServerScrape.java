package voiceagent.server.internal.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of the server's {@code /metrics} (Prometheus text): the process CPU and heap gauges (the heap retained
 * outside eden when the server publishes it, else the heap in use), live calls, and the
 * cumulative buckets of the per-hop turn-latency histograms, so two scrapes give the step's share.
 *
 * <p>Thread contract: immutable.
 */
record ServerScrape(long atNanos, double cpuSeconds, double heapBytes, double liveCalls, Map<String, double[][]> hops) {
  private static final String BUCKET = "voice_agent_turn_latency_seconds_bucket{";

  /** Fetches {@code url}; an unreachable server gives an {@link IOException} naming it. */
  static ServerScrape fetch(HttpClient http, URI url) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
    return parse(System.nanoTime(), r.body());
  }

  static ServerScrape parse(long atNanos, String text) {
    double cpu = Double.NaN;
    double heap = Double.NaN;
    double live = Double.NaN;
    Map<String, List<double[]>> buckets = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || line.isBlank()) continue;
      int space = line.lastIndexOf(' ');
      if (space < 0) continue;
      String series = line.substring(0, space);
      double value = Double.parseDouble(line.substring(space + 1));
      if (series.equals("voice_agent_process_cpu_seconds")) cpu = value;
      else if (series.equals("voice_agent_heap_retained_bytes")) heap = value;
      else if (series.equals("voice_agent_heap_used_bytes") && Double.isNaN(heap)) heap = value;
      else if (series.equals("voice_agent_calls_active")) live = value;
      else if (series.startsWith(BUCKET)) {
        String hop = label(series, "hop");
        String le = label(series, "le");
        if (hop == null || le == null) continue;
        double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
        buckets.computeIfAbsent(hop, k -> new ArrayList<>()).add(new double[] {bound, value});
      }
    }
    Map<String, double[][]> hops = new HashMap<>();
    buckets.forEach((hop, list) -> {
      list.sort((a, b) -> Double.compare(a[0], b[0]));
      hops.put(hop, list.toArray(new double[0][]));
    });
    return new ServerScrape(atNanos, cpu, heap, live, hops);
  }

  /**
   * The {@code q} quantile of {@code hop} over the turns recorded between {@code before} and this scrape, in ms (the
   * upper bound of the bucket it falls in), or NaN when no turn was recorded.
   */
  double hopPercentileMillis(ServerScrape before, String hop, double q) {
    double[][] now = hops.get(hop);
    if (now == null) return Double.NaN;
    double[][] then = before.hops.get(hop);
    double total = count(now, then, now.length - 1);
    if (total <= 0) return Double.NaN;
    for (int i = 0; i < now.length; i++) {
      if (count(now, then, i) >= q * total) return now[i][0] * 1000;
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Turns recorded for {@code hop} since {@code before}. */
  long hopCount(ServerScrape before, String hop) {
    double[][] now = hops.get(hop);
    return now == null ? 0 : (long) count(now, before.hops.get(hop), now.length - 1);
  }

  private static double count(double[][] now, double[][] then, int i) {
    double base = 0;
    if (then != null) {
      for (double[] b : then) if (b[0] == now[i][0]) base = b[1];
    }
    return now[i][1] - base;
  }

  private static String label(String series, String name) {
    String key = name + "=\"";
    int at = series.indexOf(key);
    if (at < 0) return null;
    int from = at + key.length();
    int end = series.indexOf('"', from);
    return end < 0 ? null : series.substring(from, end);
  }
}
