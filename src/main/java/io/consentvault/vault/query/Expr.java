package io.consentvault.vault.query;

import java.util.List;
import java.util.Objects;

/**
 * A parsed clause of the query language, an immutable tree. {@link QueryParser} builds it from text; the vault's
 * other filters (the {@code action=}, {@code from=} ... parameters) may build it directly, and {@link RecordFilter}
 * turns it into SQL.
 * <p>
 * The constructors check what the parser checks about types: a literal is of its field's type, {@code LIKE} is on a
 * string field, lists are not empty. They throw {@link IllegalArgumentException}: a tree that fails them is a bug of
 * the code that built it, not a client's error.
 */
public sealed interface Expr {

    /** A comparison operator; {@code !=} and {@code <>} are both {@link #NE}. */
    enum Op {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String sql;

        Op(String sql) {
            this.sql = sql;
        }

        /** The PostgreSQL operator. */
        public String sql() {
            return sql;
        }
    }

    /** {@code field op literal}. */
    record Compare(Field field, Op op, Literal value) implements Expr {
        public Compare {
            Objects.requireNonNull(op, "op");
            requireType(field, value);
        }
    }

    /** {@code field IN (literal, ...)}, at least one literal. */
    record In(Field field, List<Literal> values) implements Expr {
        public In {
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("IN needs at least one value");
            }
            for (Literal v : values) {
                requireType(field, v);
            }
        }
    }

    /** {@code field LIKE 'pattern'} on a string field: {@code %} and {@code _} are wildcards, nothing escapes. */
    record Like(Field field, String pattern) implements Expr {
        public Like {
            Objects.requireNonNull(pattern, "pattern");
            if (field.type() != Field.Type.STRING) {
                throw new IllegalArgumentException("LIKE on " + field.fieldName() + ", not a string field");
            }
        }
    }

    /** {@code field IS NULL}, or {@code field IS NOT NULL} when {@code negated}. */
    record IsNull(Field field, boolean negated) implements Expr {
        public IsNull {
            Objects.requireNonNull(field, "field");
        }
    }

    record Not(Expr operand) implements Expr {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** Two or more operands. */
    record And(List<Expr> operands) implements Expr {
        public And {
            operands = atLeastTwo(operands);
        }
    }

    /** Two or more operands. */
    record Or(List<Expr> operands) implements Expr {
        public Or {
            operands = atLeastTwo(operands);
        }
    }

    /** The conjunction of the operands: the operand itself when there is one. */
    static Expr and(List<Expr> operands) {
        return operands.size() == 1 ? operands.get(0) : new And(operands);
    }

    /** The disjunction of the operands: the operand itself when there is one. */
    static Expr or(List<Expr> operands) {
        return operands.size() == 1 ? operands.get(0) : new Or(operands);
    }

    private static void requireType(Field field, Literal value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        if (value.type() != field.type()) {
            throw new IllegalArgumentException(field.fieldName() + " is " + field.type().description() + ", not "
                    + value.type().description());
        }
    }

    private static List<Expr> atLeastTwo(List<Expr> operands) {
        List<Expr> copy = List.copyOf(operands);
        if (copy.size() < 2) {
            throw new IllegalArgumentException("AND and OR need two operands or more");
        }
        return copy;
    }
}
