package voiceagent.samples.weather;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import voiceagent.common.AgentException;
import voiceagent.common.ErrorKind;

/**
 * Weather from <a href="https://open-meteo.com/">Open-Meteo</a> (no key needed): the geocoding search finds the city
 * ({@code count=1}, the best match; remembered for later lookups), then one forecast request reads the current
 * conditions and three daily values, in the city's own time zone ({@code timezone=auto}). Temperatures are in degrees Celsius and wind in km/h, the
 * API's defaults.
 *
 * <p>Failures are short sentences the model can repeat: {@code city not found: Atlantis} (the geocoding answer has no
 * {@code results}), {@code weather service timed out after 4000 ms} (the whole lookup is bounded by
 * {@link WeatherConfig#timeoutMillis()}), {@code weather service answered HTTP 500} (with Open-Meteo's {@code reason}
 * when it sends one), {@code weather service unreachable}, {@code weather service sent an unreadable answer}.
 *
 * <p>Thread contract: thread-safe. Lookups block (the JDK HTTP client) and belong on the tools' virtual threads; an
 * interrupted lookup (the call was cancelled) cancels its request.
 */
public final class OpenMeteoWeather implements WeatherSource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SERVICE = "open-meteo";
  private static final String FORECAST_FIELDS = "&current=temperature_2m,weather_code,wind_speed_10m"
      + "&daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_probability_max"
      + "&timezone=auto&forecast_days=" + MAX_FORECAST_DAYS;

  /**
   * Cities found, by lowercase name: a caller asks about one city several times ("and tomorrow?"), and a place does
   * not move, so the second lookup skips the geocoding round trip. 256 covers the cities of a busy day.
   */
  private static final int MAX_PLACES = 256;

  private final WeatherConfig config;
  private final HttpClient http;
  private final Map<String, Place> places = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Place> eldest) {
      return size() > MAX_PLACES;
    }
  });

  public OpenMeteoWeather(WeatherConfig config) {
    this.config = config;
    // HTTP/1.1: a plain-http endpoint (a proxy, a test double) would otherwise be offered an h2c upgrade.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(config.timeoutMillis())).build();
  }

  @Override
  public Current current(String city) {
    long deadline = deadline();
    Place place = geocode(city, deadline);
    JsonNode now = forecastOf(place, deadline).path("current");
    return new Current(place.label(), WmoCodes.words(integer(now, "weather_code")),
        round(number(now, "temperature_2m")) + " degrees Celsius", round(number(now, "wind_speed_10m")) + " km/h");
  }

  @Override
  public Forecast forecast(String city, int days) {
    WeatherSource.requireDays(days);
    long deadline = deadline();
    Place place = geocode(city, deadline);
    JsonNode daily = forecastOf(place, deadline).path("daily");
    JsonNode dates = daily.path("time");
    if (dates.size() < days) throw unreadable(null);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < days; i++) {
      if (i > 0) text.append("; ");
      text.append(dayName(i, dates.get(i).asText())).append(' ')
          .append(WmoCodes.words(integer(daily.path("weather_code"), i))).append(", ")
          .append(round(number(daily.path("temperature_2m_min"), i))).append(" to ")
          .append(round(number(daily.path("temperature_2m_max"), i))).append(" degrees Celsius");
      JsonNode rain = daily.path("precipitation_probability_max").path(i);
      if (rain.isNumber()) text.append(", ").append(rain.asInt()).append(" percent chance of rain");
    }
    return new Forecast(place.label(), text.toString());
  }

  /** Where a city is: the geocoding match, spoken as "name, country". */
  private record Place(String label, String latitude, String longitude) {}

  private Place geocode(String city, long deadlineNanos) {
    String name = WeatherSource.requireCity(city);
    String key = name.toLowerCase(Locale.ROOT);
    Place known = places.get(key);
    if (known != null) return known;
    JsonNode body = get(config.geocodingUrl() + "?name=" + encode(name) + "&count=1&language=en&format=json",
        deadlineNanos);
    JsonNode best = body.path("results").path(0);
    if (!best.isObject()) throw new AgentException(ErrorKind.NOT_FOUND, SERVICE, "city not found: " + name);
    JsonNode latitude = best.get("latitude");
    JsonNode longitude = best.get("longitude");
    if (latitude == null || !latitude.isNumber() || longitude == null || !longitude.isNumber()) throw unreadable(null);
    String found = best.path("name").asText(name);
    String country = best.path("country").asText("");
    Place place = new Place(country.isEmpty() ? found : found + ", " + country, latitude.asText(), longitude.asText());
    places.put(key, place);
    return place;
  }

  private JsonNode forecastOf(Place place, long deadlineNanos) {
    return get(config.forecastUrl() + "?latitude=" + place.latitude() + "&longitude=" + place.longitude()
        + FORECAST_FIELDS, deadlineNanos);
  }

  private long deadline() {
    return System.nanoTime() + Duration.ofMillis(config.timeoutMillis()).toNanos();
  }

  /** One GET within what is left of the lookup's deadline; the body as JSON, or a failure the model can read. */
  private JsonNode get(String url, long deadlineNanos) {
    long left = deadlineNanos - System.nanoTime();
    if (left <= 0) throw timedOut(null);
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofNanos(left))
        .header("Accept", "application/json").GET().build();
    CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response;
    try {
      // The request timeout stops at the headers; the wait covers a body that stalls too.
      response = pending.get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw timedOut(e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new AgentException(ErrorKind.CANCELLED, SERVICE, "weather lookup cancelled", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) throw timedOut(e.getCause());
      throw new AgentException(ErrorKind.CONNECTIVITY, SERVICE, "weather service unreachable", e.getCause());
    }
    if (response.statusCode() != 200) throw status(response);
    try {
      return JSON.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw unreadable(e);
    }
  }

  private AgentException timedOut(Throwable cause) {
    return new AgentException(ErrorKind.TIMEOUT, SERVICE,
        "weather service timed out after " + config.timeoutMillis() + " ms", true, null, null, null, cause);
  }

  private static AgentException status(HttpResponse<String> response) {
    int code = response.statusCode();
    String reason = "";
    try {
      JsonNode body = JSON.readTree(response.body());
      if (body != null && body.path("reason").isTextual()) reason = ": " + body.get("reason").asText();
    } catch (IOException notJson) {
      // an HTML error page or an empty body: the status says enough
    }
    ErrorKind kind = code >= 500 ? ErrorKind.SERVER : code == 429 ? ErrorKind.RATE_LIMITED : ErrorKind.INVALID_REQUEST;
    boolean retriable = code >= 500 || code == 429;
    return new AgentException(kind, SERVICE, "weather service answered HTTP " + code + reason, retriable, code, null,
        null, null);
  }

  private static AgentException unreadable(Throwable cause) {
    return new AgentException(ErrorKind.PROTOCOL, SERVICE, "weather service sent an unreadable answer", cause);
  }

  private static double number(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isNumber()) throw unreadable(null);
    return v.asDouble();
  }

  private static double number(JsonNode array, int index) {
    JsonNode v = array.path(index);
    if (!v.isNumber()) throw unreadable(null);
    return v.asDouble();
  }

  private static int integer(JsonNode node, String field) {
    return (int) number(node, field);
  }

  private static int integer(JsonNode array, int index) {
    return (int) number(array, index);
  }

  private static long round(double value) {
    return Math.round(value);
  }

  /** "today", "tomorrow", then the weekday ("Thursday"): the date itself is not what a caller wants to hear. */
  private static String dayName(int index, String isoDate) {
    if (index == 0) return "today";
    if (index == 1) return "tomorrow";
    try {
      DayOfWeek day = LocalDate.parse(isoDate).getDayOfWeek();
      return "on " + day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    } catch (DateTimeParseException e) {
      throw unreadable(e);
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
