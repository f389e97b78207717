package io.berth.common.config;

import io.vertx.core.shareddata.Shareable;
import java.util.Objects;

/**
 * A number or boolean in the configuration tree, with the text it was written as: YAML's plain {@code 0042} or a
 * variable's {@code 0042}. A key distribution reads as a string takes the text ({@link #toString()}), as Go's YAML
 * decoder gives a string field the scalar's own text; a number, boolean or duration key takes {@link #value()},
 * typed as before. Immutable, so the tree's copies share it.
 */
public final class WrittenScalar implements Shareable {
  private final String text;
  private final Object value;

  WrittenScalar(String text, Object value) {
    this.text = Objects.requireNonNull(text);
    this.value = Objects.requireNonNull(value);
  }

  public String text() {
    return text;
  }

  /** A {@link Number} or a {@link Boolean}. */
  public Object value() {
    return value;
  }

  /** The value a typed key reads: the typed value of a written scalar, anything else as it is. */
  static Object typed(Object value) {
    return value instanceof WrittenScalar written ? written.value : value;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WrittenScalar written && written.text.equals(text) && written.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(text, value);
  }
}
