package voiceagent.tools;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import voiceagent.common.AgentException;
import voiceagent.tools.internal.dispatch.MethodInvoker;
import voiceagent.tools.internal.dispatch.MethodInvoker.Binding;
import voiceagent.tools.internal.schema.ArgumentSchemas;
import voiceagent.tools.internal.schema.ArgumentSchemas.Argument;

/**
 * Builds tools from the {@link ToolFunction} methods of an object, with the arguments' JSON Schema generated from
 * the parameter types (see {@link ToolFunction} for how parameters map to arguments).
 *
 * <p>Thread contract: stateless, thread-safe.
 */
public final class Tools {
  private Tools() {}

  /**
   * One tool per public {@link ToolFunction} method of {@code target}, sorted by name: reflection returns methods in
   * no fixed order, and a stable order keeps the catalog, and so Electron's prompt cache, stable across restarts.
   * Fails naming the method when one is annotated but not public, or its parameter names were not compiled in.
   */
  public static List<Tool> fromObject(Object target) {
    rejectNonPublic(target.getClass());
    List<Tool> tools = new ArrayList<>();
    for (Method method : target.getClass().getMethods()) {
      ToolFunction function = method.getAnnotation(ToolFunction.class);
      if (function != null) tools.add(fromMethod(target, method, function));
    }
    tools.sort(Comparator.comparing(Tool::name));
    return List.copyOf(tools);
  }

  private static Tool fromMethod(Object target, Method method, ToolFunction function) {
    String name = function.name().isEmpty() ? method.getName() : function.name();
    Tool.Builder builder = Tool.builder(name)
        .description(function.description())
        .sideEffects(function.sideEffects())
        .filler(function.filler());
    if (function.timeoutMillis() > 0) builder.timeout(Duration.ofMillis(function.timeoutMillis()));
    Parameter[] parameters = method.getParameters();
    if (parameters.length == 1 && parameters[0].getType().isRecord() && !parameters[0].isAnnotationPresent(ToolParam.class)) {
      // The record is the arguments object: flatter for the model than {"request": {...}}.
      Parameter only = parameters[0];
      builder.parameters(ArgumentSchemas.forType(only.getParameterizedType()));
      builder.handle(MethodInvoker.handler(target, method,
          List.of(new Binding(null, only.getParameterizedType(), only.getType()))));
    } else {
      List<Argument> arguments = new ArrayList<>();
      List<Binding> bindings = new ArrayList<>();
      for (Parameter p : parameters) {
        ToolParam param = p.getAnnotation(ToolParam.class);
        String argName = param != null && !param.name().isEmpty() ? param.name() : parameterName(method, p);
        arguments.add(new Argument(argName, p.getParameterizedType(), param == null ? "" : param.description(),
            param == null || param.required()));
        bindings.add(new Binding(argName, p.getParameterizedType(), p.getType()));
      }
      builder.parameters(ArgumentSchemas.forArguments(arguments));
      builder.handle(MethodInvoker.handler(target, method, bindings));
    }
    return builder.build();
  }

  private static String parameterName(Method method, Parameter p) {
    if (!p.isNamePresent()) {
      throw AgentException.config("tools." + method.getName() + ".parameters", p.getName(),
          "parameter names are not compiled in: compile with javac -parameters or set @ToolParam(name = ...)");
    }
    return p.getName();
  }

  private static void rejectNonPublic(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.isAnnotationPresent(ToolFunction.class) && !Modifier.isPublic(m.getModifiers())) {
          throw AgentException.config("tools." + m.getName(), c.getSimpleName() + "." + m.getName(),
              "a @ToolFunction method must be public");
        }
      }
    }
  }
}
