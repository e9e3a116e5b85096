package voiceagent.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Describes one argument of a tool: a parameter of a {@link ToolFunction} method or a component of an arguments
 * record. The description goes into the JSON Schema the model reads, so keep it to a few words.
 *
 * <p>Thread contract: immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface ToolParam {
  /** A few words for the model; empty means none. */
  String description() default "";

  /** Whether the model must supply the argument; a missing optional argument arrives as {@code null} (or 0). */
  boolean required() default true;

  /** The argument name on a method parameter; empty means the parameter name (needs {@code javac -parameters}). */
  String name() default "";
}
