package io.consentvault.vault.query;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A literal of the query language, already of its field's type: strings, integers, booleans, and instants (written
 * as strings, read by {@link Instants#parse}). It only ever reaches SQL as a bind parameter ({@link #bind()}).
 */
public sealed interface Literal {

    /** The field type this literal can be compared with. */
    Field.Type type();

    /** The value bound for the parameter: a String, Integer, Boolean or (UTC) OffsetDateTime. */
    Object bind();

    static Literal of(String value) {
        return new Text(value);
    }

    static Literal of(int value) {
        return new Int(value);
    }

    static Literal of(boolean value) {
        return new Bool(value);
    }

    static Literal of(Instant value) {
        return new Time(value);
    }

    record Text(String value) implements Literal {
        public Text {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Field.Type type() {
            return Field.Type.STRING;
        }

        @Override
        public Object bind() {
            return value;
        }
    }

    record Int(int value) implements Literal {
        @Override
        public Field.Type type() {
            return Field.Type.INTEGER;
        }

        @Override
        public Object bind() {
            return value;
        }
    }

    record Bool(boolean value) implements Literal {
        @Override
        public Field.Type type() {
            return Field.Type.BOOLEAN;
        }

        @Override
        public Object bind() {
            return value;
        }
    }

    /** An instant; bound in UTC, so the same instant written with two offsets binds equal values. */
    record Time(Instant value) implements Literal {
        public Time {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Field.Type type() {
            return Field.Type.INSTANT;
        }

        @Override
        public Object bind() {
            return OffsetDateTime.ofInstant(value, ZoneOffset.UTC);
        }
    }
}
