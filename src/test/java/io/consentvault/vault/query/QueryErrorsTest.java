package io.consentvault.vault.query;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way out of the language: the exact position (0-based, in code points) and what the message says. */
class QueryErrorsTest {

    static void fails(String clause, int position, String messagePart) {
        QueryException e = assertThrows(QueryException.class, () -> QueryParser.parse(clause), clause);
        assertEquals(position, e.position(), () -> clause + " -> " + e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> clause + " -> " + e.getMessage());
    }

    @Test
    void emptyClause() {
        fails("", 0, "empty clause");
        fails("   ", 3, "empty clause");
    }

    @Test
    void unknownFields() {
        fails("foo = 'x'", 0, "unknown field 'foo'");
        fails("purpose = 'x' AND foo = 1", 18, "unknown field 'foo'");
        fails("USER_ID = 'x'", 0, "case-sensitive: 'user_id'");
        fails("consent_records.user_id = 'x'", 0, "unknown field 'consent_records'");
    }

    @Test
    void unterminatedStrings() {
        fails("purpose = 'x", 10, "unterminated string");
        fails("purpose = \"x", 10, "unterminated string");
        fails("purpose = 'it''s", 10, "unterminated string");
        fails("purpose = 'x\"", 10, "unterminated string");
    }

    @Test
    void unbalancedParentheses() {
        fails("(purpose = 'x'", 0, "never closed");
        fails("((purpose = 'x')", 0, "never closed");
        fails("value = true AND (purpose = 'x' OR (decision = false)", 17, "never closed");
        fails("purpose IN ('a', 'b'", 11, "never closed");
        fails("purpose = 'x')", 13, "closes nothing");
        fails("(purpose = 'x'))", 15, "closes nothing");
        fails(")", 0, "expected a condition, found ')'");
        fails("()", 1, "expected a condition, found ')'");
        fails("(purpose = 'x' purpose = 'y')", 15, "expected AND, OR or ')'");
    }

    @Test
    void trailingInput() {
        fails("purpose = 'x' purpose = 'y'", 14, "expected AND, OR or the end");
        fails("purpose = 'x' 'y'", 14, "expected AND, OR or the end");
        fails("purpose = 'x' ORDER BY created_at", 14, "expected AND, OR or the end");
        fails("value IS NULL NULL", 14, "expected AND, OR or the end");
    }

    @Test
    void statementsAndComments() {
        fails("purpose = 'x'; DROP TABLE consent_records", 13, "';' is not allowed");
        fails(";", 0, "';' is not allowed");
        fails("purpose = 'x' -- and the rest", 14, "comments are not allowed");
        fails("purpose = 'x' /* c */", 14, "comments are not allowed");
        fails("purpose = 'x' OR/**/value = true", 16, "comments are not allowed");
        fails("event_index = 1--1", 15, "comments are not allowed");
    }

    @Test
    void functionsAndSubqueries() {
        fails("lower(purpose) = 'x'", 0, "function calls are not allowed");
        fails("purpose = lower ('X')", 10, "function calls are not allowed");
        fails("purpose(x) = 'x'", 0, "function calls are not allowed");
        fails("user_id IN (SELECT user_id FROM consent_records)", 12, "subqueries are not allowed");
        fails("purpose = ( select 'x')", 12, "subqueries are not allowed");
        fails("(SELECT 1) = 1", 1, "subqueries are not allowed");
        fails("EXISTS (SELECT 1)", 0, "subqueries are not allowed");
        fails("purpose = ('x')", 10, "expected a literal, found '('");
    }

    @Test
    void literalsOfTheWrongType() {
        fails("event_index = '1'", 14, "'event_index' takes an integer, not a string");
        fails("value = 1", 8, "'value' takes a boolean, not an integer");
        fails("value = 'true'", 8, "'value' takes a boolean, not a string");
        fails("purpose = true", 10, "'purpose' takes a string, not a boolean");
        fails("purpose = 1", 10, "'purpose' takes a string, not an integer");
        fails("created_at = 5", 13, "'created_at' takes an instant");
        fails("country IN ('FR', 2)", 18, "'country' takes a string, not an integer");
        fails("purpose = analytics", 10, "strings are quoted");
        fails("purpose = user_id", 10, "not with another field");
        fails("purpose = NULL", 10, "write 'purpose IS NULL'");
        fails("purpose IN ('a', null)", 17, "IS NULL");
    }

    @Test
    void invalidNumbers() {
        fails("event_index = 1.5", 14, "invalid number");
        fails("event_index = 1e3", 14, "invalid number");
        fails("event_index = 2147483648", 14, "integer out of range");
        fails("event_index = - 1", 14, "unexpected character '-'");
    }

    @Test
    void invalidInstants() {
        fails("created_at > 'yesterday'", 13, "invalid instant");
        fails("created_at > '2024-13-01'", 13, "invalid instant");
        fails("created_at > '2024-02-30'", 13, "invalid instant");
        fails("created_at > '2024-05-01T10:00:00'", 13, "invalid instant");
        fails("received_at IN ('2024-05-01', '2024-05-01 10:00')", 30, "invalid instant");
    }

    @Test
    void likeOnlyOnStrings() {
        fails("event_index LIKE '1%'", 12, "LIKE applies to string fields; 'event_index' is an integer");
        fails("created_at LIKE '2024%'", 11, "'created_at' is an instant");
        fails("value LIKE 't%'", 6, "'value' is a boolean");
        fails("purpose LIKE 1", 13, "'purpose' takes a string, not an integer");
    }

    @Test
    void malformedConditions() {
        fails("purpose", 7, "expected an operator");
        fails("purpose 'x'", 8, "expected an operator");
        fails("purpose == 'x'", 9, "expected a string, found '='");
        fails("purpose =", 9, "found the end of the clause");
        fails("purpose = 'a' AND", 17, "expected a condition, found the end");
        fails("purpose = 'a' AND OR value = true", 18, "expected a field, found OR");
        fails("NOT", 3, "expected a condition");
        fails("'x' = purpose", 0, "expected a field, found the string 'x'");
        fails("1 = 1", 0, "expected a field");
        fails("true", 0, "expected a field, found TRUE");
        fails("purpose IN ()", 12, "at least one value");
        fails("purpose IN ('a',)", 16, "expected a string");
        fails("purpose IN 'a'", 11, "expected '(' after IN");
        fails("purpose IN ('a' 'b')", 16, "expected ',' or ')'");
        fails("purpose IS 'x'", 11, "expected NULL or NOT NULL after IS");
        fails("purpose IS NOT 'x'", 15, "expected NULL after IS");
        fails("purpose NOT IN ('a')", 8, "write NOT purpose IN");
        fails("purpose NOT LIKE 'a%'", 8, "NOT goes before a condition");
        fails("purpose BETWEEN 'a' AND 'b'", 8, "expected an operator");
        fails("purpose = 'a' && value = true", 14, "unexpected character '&'");
        fails("purpose = 'a' @", 14, "unexpected character '@'");
        fails("purpose = 'a' AND `value` = true", 18, "unexpected character '`'");
        fails("purpose ≠ 'a'", 8, "unexpected character '≠'");
        fails("purpose\u00a0= 'a'", 7, "unexpected character U+00A0");
    }

    @Test
    void charactersAStringCannotHold() {
        fails("purpose = 'a\u0000'", 12, "NUL");
        fails("purpose = 'a\ud800'", 12, "unpaired surrogate");
        fails("purpose = 'a\udc00b'", 12, "unpaired surrogate");
    }

    @Test
    void positionsCountCodePoints() {
        // 🙂 is one character (two UTF-16 units): the position is in characters
        fails("purpose = '🙂' AND foo = 1", 18, "unknown field 'foo'");
        fails("purpose = '🙂🙂🙂'; x", 15, "';' is not allowed");
    }
}
