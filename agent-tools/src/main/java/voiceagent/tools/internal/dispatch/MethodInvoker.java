package voiceagent.tools.internal.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/**
 * Calls an annotated tool method with arguments bound from JSON: either each named property to one parameter, or
 * the whole arguments object to a single record parameter. A method returning {@link CompletionStage} or
 * {@link Mono} gives a non-blocking handler; any other gives a blocking one.
 *
 * <p>Thread contract: immutable, thread-safe as far as the target object is.
 */
public final class MethodInvoker {
  /** One method parameter bound from the property {@code name} (null name: from the whole arguments object). */
  public record Binding(String name, Type type, Class<?> rawType) {}

  private final Object target;
  private final Method method;
  private final List<Binding> bindings;

  private MethodInvoker(Object target, Method method, List<Binding> bindings) {
    this.target = target;
    this.method = method;
    this.bindings = List.copyOf(bindings);
  }

  /** The handler calling {@code method} on {@code target}. */
  public static Handler handler(Object target, Method method, List<Binding> bindings) {
    method.trySetAccessible(); // a public method of a non-public class
    MethodInvoker invoker = new MethodInvoker(target, method, bindings);
    Class<?> returns = method.getReturnType();
    if (CompletionStage.class.isAssignableFrom(returns)) {
      return new Handler.Async(json -> (CompletionStage<?>) invoker.invoke(json));
    }
    if (Mono.class.isAssignableFrom(returns)) {
      return new Handler.Async(json -> ((Mono<?>) invoker.invoke(json)).toFuture());
    }
    return new Handler.Blocking(invoker::invoke);
  }

  private Object invoke(JsonNode json) {
    Object[] values = new Object[bindings.size()];
    for (int i = 0; i < values.length; i++) {
      Binding b = bindings.get(i);
      Object value = Json.bind(b.name() == null ? json : json.get(b.name()), b.type());
      values[i] = value == null && b.rawType().isPrimitive() ? Array.get(Array.newInstance(b.rawType(), 1), 0) : value;
    }
    try {
      return method.invoke(target, values);
    } catch (InvocationTargetException e) {
      throw new CompletionException(e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("tool method is not accessible: " + method.getName(), e);
    }
  }
}
