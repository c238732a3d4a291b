package io.consentvault.vault.query;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link Expr} as a PostgreSQL boolean expression, every literal a {@code $n} placeholder cast to its
 * column's type. A faithful translation, so SQL's three-valued logic is the language's: a comparison, IN or LIKE on
 * a null is unknown, NOT unknown is unknown, and only rows where the whole expression is true match.
 * <p>
 * Package-private: outside this package, SQL comes only from {@link RecordFilter}, which always bounds it by the
 * organization. Single use, not thread-safe.
 */
final class SqlBuilder {

    private final StringBuilder sql = new StringBuilder();
    private final List<Object> binds = new ArrayList<>();
    private final int firstIndex;

    private SqlBuilder(int firstIndex) {
        if (firstIndex < 1) {
            throw new IllegalArgumentException("placeholders start at $1, not $" + firstIndex);
        }
        this.firstIndex = firstIndex;
    }

    /** The expression's SQL, its placeholders numbered from {@code firstIndex}. */
    static SqlFragment build(Expr expr, int firstIndex) {
        SqlBuilder b = new SqlBuilder(firstIndex);
        b.write(expr);
        return new SqlFragment(b.sql.toString(), b.binds);
    }

    private void write(Expr e) {
        if (e instanceof Expr.Compare c) {
            column(c.field()).append(' ').append(c.op().sql()).append(' ');
            bind(c.value());
        } else if (e instanceof Expr.In in) {
            column(in.field()).append(" IN (");
            for (int i = 0; i < in.values().size(); i++) {
                if (i > 0) {
                    sql.append(", ");
                }
                bind(in.values().get(i));
            }
            sql.append(')');
        } else if (e instanceof Expr.Like like) {
            // ESCAPE '' turns escaping off: PostgreSQL's default escape is the backslash, the language has none
            column(like.field()).append(" LIKE ");
            bind(new Literal.Text(like.pattern()));
            sql.append(" ESCAPE ''");
        } else if (e instanceof Expr.IsNull isNull) {
            column(isNull.field()).append(isNull.negated() ? " IS NOT NULL" : " IS NULL");
        } else if (e instanceof Expr.Not not) {
            sql.append("NOT (");
            write(not.operand());
            sql.append(')');
        } else if (e instanceof Expr.And and) {
            junction(and.operands(), " AND ");
        } else if (e instanceof Expr.Or or) {
            junction(or.operands(), " OR ");
        } else {
            throw new IllegalArgumentException("unknown expression " + e);
        }
    }

    /** Operands in parentheses each, so the tree's grouping is the SQL's whatever SQL's precedence. */
    private void junction(List<Expr> operands, String operator) {
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) {
                sql.append(operator);
            }
            Expr operand = operands.get(i);
            boolean group = operand instanceof Expr.And || operand instanceof Expr.Or;
            if (group) {
                sql.append('(');
            }
            write(operand);
            if (group) {
                sql.append(')');
            }
        }
    }

    private StringBuilder column(Field field) {
        return sql.append(field.sql());
    }

    private void bind(Literal value) {
        binds.add(value.bind());
        sql.append('$').append(firstIndex + binds.size() - 1).append("::").append(value.type().sqlType());
    }
}
