package io.consentvault.platform.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.consentvault.platform.problem.FieldError;
import io.consentvault.platform.problem.ProblemException;

/**
 * Reads request bodies into JSON trees with limits fit for hostile input: nesting at most 64 deep, no trailing
 * content, numbers and names bounded, invalid UTF-8 refused. Failures become 400 problems. Thread-safe.
 */
public final class JsonInput {

    static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(100)
                    .maxNameLength(10_000).maxStringLength(2_000_000).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** One value of a stream that goes on after it (an element of an array). */
    private static final ObjectReader ELEMENT = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonInput() {
    }

    /** One JSON document. */
    public static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("", "the body is empty; send one consent event as JSON");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw invalid("", "the body is empty; send one consent event as JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw invalid("", "the body is not valid JSON: " + reason(e));
        } catch (IOException e) {
            throw invalid("", "the body could not be read: " + e.getMessage());
        }
    }

    /**
     * The text of a body, as it is kept: UTF-8 without a leading byte order mark (RFC 8259 lets a parser ignore one; a
     * document that starts with one is not JSON text, and the stored payload is shown as JSON).
     */
    public static String text(byte[] body) {
        int from = bomLength(body, 0);
        return new String(body, from, body.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int bomLength(byte[] body, int from) {
        return body.length - from >= 3 && body[from] == (byte) 0xEF && body[from + 1] == (byte) 0xBB
                && body[from + 2] == (byte) 0xBF ? 3 : 0;
    }

    /**
     * A JSON array's elements, each with its own text (kept as the stored payload): the element's bytes as sent, sliced
     * from the body as it is parsed, in one pass (writing each tree back out cost a batch a third of its JSON time).
     */
    public static List<Element> readArray(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalid("", "the body is empty; send one consent event as JSON");
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                read(body); // refuses what is not JSON, with the same words as any body
                throw invalid("", "must be a JSON array of consent events (or application/x-ndjson)");
            }
            List<Element> elements = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int start = (int) parser.currentTokenLocation().getByteOffset();
                JsonNode node = ELEMENT.readTree(parser);
                int end = (int) parser.currentLocation().getByteOffset();
                elements.add(new Element(node, new String(body, start, end - start, StandardCharsets.UTF_8)));
            }
            if (parser.nextToken() != null) {
                throw invalid("", "the body is not valid JSON: unexpected content after the JSON value");
            }
            return elements;
        } catch (JsonProcessingException e) {
            throw invalid("", "the body is not valid JSON: " + reason(e));
        } catch (IOException e) {
            throw invalid("", "the body could not be read: " + e.getMessage());
        }
    }

    /** How many non-blank lines a body has: counted before any is parsed, so an oversized batch costs one scan. */
    public static int countLines(byte[] body) {
        int count = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                if (!blank(body, start, i)) {
                    count++;
                }
                start = i + 1;
            }
        }
        return count;
    }

    /** One JSON document per non-blank line; a line that does not parse is reported under its index. */
    public static List<Element> readLines(byte[] body) {
        List<Element> elements = new ArrayList<>();
        int start = bomLength(body, 0);
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                int end = i > start && body[i - 1] == '\r' ? i - 1 : i;
                if (!blank(body, start, end)) {
                    String text = new String(body, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
                    try (JsonParser parser = MAPPER.createParser(body, start, end - start)) {
                        JsonNode node = MAPPER.readTree(parser);
                        if (parser.nextToken() != null && parser.currentToken() != JsonToken.NOT_AVAILABLE) {
                            elements.add(new Element(null, text, "more than one JSON value on the line"));
                        } else {
                            elements.add(new Element(node, text));
                        }
                    } catch (IOException e) {
                        String reason = e instanceof JsonProcessingException jpe
                                ? jpe.getOriginalMessage()
                                : e.getMessage();
                        elements.add(new Element(null, text, "not valid JSON: " + reason));
                    }
                }
                start = i + 1;
            }
        }
        return elements;
    }

    private static String reason(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "unreadable";
        }
        if (message.startsWith("Trailing token")) {
            return "unexpected content after the JSON value";
        }
        // Jackson's advice about its own settings means nothing to a client
        return message.replaceAll(", from `[^`]*`\\)", ")");
    }

    private static boolean blank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\t' && body[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static ProblemException invalid(String pointer, String message) {
        return ProblemException.invalid(List.of(FieldError.at(pointer, message)));
    }

    /** One event of a batch: its tree (null when it did not parse), its text, and why it did not parse. */
    public record Element(JsonNode node, String text, String parseError) {
        Element(JsonNode node, String text) {
            this(node, text, null);
        }
    }
}
