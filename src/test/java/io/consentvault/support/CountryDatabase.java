package io.consentvault.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small IPv4 country database in the MaxMind DB format (version 2.0 of the specification: a binary search
 * tree of 24-bit records, a data section and the metadata), with records shaped as GeoLite2 Country's
 * ({@code {"country": {"iso_code": "FR"}}}), so that tests read it with the real reader the service uses.
 */
public final class CountryDatabase {

    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n',
            'd', '.', 'c', 'o', 'm'};

    private final Node root = new Node();

    /** {@code cidr} (an IPv4 block, say {@code 198.51.100.0/24}) is in {@code country}. */
    public CountryDatabase network(String cidr, String country) {
        String[] parts = cidr.split("/");
        String[] octets = parts[0].split("\\.");
        long address = 0;
        for (String o : octets) {
            address = (address << 8) | Integer.parseInt(o);
        }
        int bits = Integer.parseInt(parts[1]);
        Node node = root;
        for (int i = 0; i < bits; i++) {
            int bit = (int) ((address >>> (31 - i)) & 1);
            if (node.child[bit] == null) {
                node.child[bit] = new Node();
            }
            node = node.child[bit];
        }
        node.country = country;
        return this;
    }

    public Path write(Path file) throws IOException {
        List<Node> nodes = new ArrayList<>();
        number(root, nodes);
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<String, Integer> offsets = new HashMap<>();
        for (Node n : nodes) {
            for (Node c : n.child) {
                if (c != null && c.country != null && !offsets.containsKey(c.country)) {
                    offsets.put(c.country, data.size());
                    Map<String, Object> country = new LinkedHashMap<>();
                    country.put("iso_code", c.country);
                    value(data, Map.of("country", country));
                }
            }
        }
        int count = nodes.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : nodes) {
            for (Node c : n.child) {
                int record = c == null ? count : c.country != null ? count + 16 + offsets.get(c.country) : index.get(c);
                out.write(record >>> 16);
                out.write(record >>> 8);
                out.write(record);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", new U16(2));
        metadata.put("binary_format_minor_version", new U16(0));
        metadata.put("build_epoch", new U64(1_700_000_000L));
        metadata.put("database_type", "Test-Country");
        metadata.put("description", Map.of("en", "countries for tests"));
        metadata.put("ip_version", new U16(4));
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", new U32(count));
        metadata.put("record_size", new U16(24));
        value(out, metadata);
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void number(Node node, List<Node> nodes) {
        nodes.add(node);
        for (Node c : node.child) {
            if (c != null && c.country == null) {
                number(c, nodes);
            }
        }
    }

    private record U16(int value) {
    }

    private record U32(long value) {
    }

    private record U64(long value) {
    }

    private static void value(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, bytes.length);
            out.writeBytes(bytes);
        } else if (v instanceof Map<?, ?> map) {
            control(out, 7, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                value(out, e.getKey());
                value(out, e.getValue());
            }
        } else if (v instanceof List<?> list) {
            control(out, 11, list.size());
            list.forEach(item -> value(out, item));
        } else if (v instanceof U16 u) {
            unsigned(out, 5, u.value());
        } else if (v instanceof U32 u) {
            unsigned(out, 6, u.value());
        } else if (v instanceof U64 u) {
            unsigned(out, 9, u.value());
        } else {
            throw new IllegalArgumentException("not written in this format: " + v);
        }
    }

    private static void unsigned(ByteArrayOutputStream out, int type, long value) {
        int length = 0;
        for (long rest = value; rest != 0; rest >>>= 8) {
            length++;
        }
        control(out, type, length);
        for (int i = length - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }

    /** A control byte: the type in its three high bits (extended types after it), the size (under 29) below. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        if (size >= 29) {
            throw new IllegalArgumentException("sizes under 29 only");
        }
        if (type <= 7) {
            out.write((type << 5) | size);
        } else {
            out.write(size);
            out.write(type - 7);
        }
    }

    private static final class Node {
        final Node[] child = new Node[2];
        String country;
    }
}
