package voiceagent.tools;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a tool for {@link Tools#fromObject(Object)}. Its parameters become the tool's arguments:
 * one property per parameter (records, primitives, strings, enums, lists of those), described by {@link ToolParam};
 * or, when the method takes a single record parameter without {@link ToolParam}, that record's components.
 * A method returning {@link java.util.concurrent.CompletionStage} or {@code Mono} is a non-blocking tool; any other
 * runs on a virtual thread.
 *
 * <p>Thread contract: immutable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ToolFunction {
  /** The tool name; empty means the method name. */
  String name() default "";

  /** One sentence saying what the tool does, for the model. */
  String description();

  /** Whether the tool changes something outside the call (books, sends, hangs up); see {@link Tool#sideEffects()}. */
  boolean sideEffects() default false;

  /** Per-call time limit in milliseconds; 0 means {@link Tool#DEFAULT_TIMEOUT}. */
  long timeoutMillis() default 0;

  /** A phrase spoken while the tool runs; empty means none. */
  String filler() default "";
}
