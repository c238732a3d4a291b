package io.consentvault.vault.query;

import java.util.List;

/**
 * A PostgreSQL boolean expression and the values of its placeholders, in order: {@code binds.get(i)} is the
 * parameter {@code $(firstIndex + i)}. The text holds only column names from {@link Field}, operators and
 * placeholders, never a client's text.
 */
public record SqlFragment(String text, List<Object> binds) {

    public SqlFragment {
        binds = List.copyOf(binds);
    }

    /** The placeholder number after the last one used, given the number of the first. */
    public int nextIndex(int firstIndex) {
        return firstIndex + binds.size();
    }
}
