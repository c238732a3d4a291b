package io.consentvault.vault.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The filter on {@code consent_records} for one organization: {@code organization_id = $n AND (clause) AND ...}.
 * It can only be made with an organization, and it is the only way out of this package to SQL, so no query on the
 * records can forget the key's organization: {@code organization_id = 'other' OR ...} in a clause only narrows it.
 * <p>
 * Immutable and thread-safe. The vault's repository calls {@link #toSql} when it writes its statement.
 */
public final class RecordFilter {

    private final String organizationId;
    private final List<Expr> conditions;

    private RecordFilter(String organizationId, List<Expr> conditions) {
        this.organizationId = organizationId;
        this.conditions = List.copyOf(conditions);
    }

    /** Every record of the organization (the key's, already checked by the caller). */
    public static RecordFilter of(String organizationId) {
        Objects.requireNonNull(organizationId, "organizationId");
        if (organizationId.isEmpty()) {
            throw new IllegalArgumentException("an organization id is never empty");
        }
        return new RecordFilter(organizationId, List.of());
    }

    /** This filter narrowed by one more condition (a parsed clause, or a tree built from other parameters). */
    public RecordFilter and(Expr condition) {
        Objects.requireNonNull(condition, "condition");
        List<Expr> more = new ArrayList<>(conditions);
        more.add(condition);
        return new RecordFilter(organizationId, more);
    }

    public String organizationId() {
        return organizationId;
    }

    /** The conditions added to the organization's bound, in order. */
    public List<Expr> conditions() {
        return conditions;
    }

    /**
     * The filter as SQL for a statement on {@code consent_records}: the organization is {@code $firstIndex} (so
     * {@code $1} for a statement that has no parameter of its own before it), then each condition's binds in order.
     */
    public SqlFragment toSql(int firstIndex) {
        // the bare column, not the field's SQL (compared by code point): an equality either way, and only the bare
        // column matches the indexes that lead with the organization
        StringBuilder text = new StringBuilder("organization_id = $").append(firstIndex).append("::text");
        List<Object> binds = new ArrayList<>();
        binds.add(organizationId);
        for (Expr condition : conditions) {
            SqlFragment part = SqlBuilder.build(condition, firstIndex + binds.size());
            text.append(" AND (").append(part.text()).append(')');
            binds.addAll(part.binds());
        }
        return new SqlFragment(text.toString(), binds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordFilter f && f.organizationId.equals(organizationId)
                && f.conditions.equals(conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(organizationId, conditions);
    }

    /** Without the conditions' literals: they may be personal data, and this may end up in a log. */
    @Override
    public String toString() {
        return "RecordFilter[organization=" + organizationId + ", " + conditions.size() + " condition(s)]";
    }
}
