package io.consentvault.support;

import static io.restassured.RestAssured.given;

/** Reads one sample from the service's Prometheus endpoint. */
public final class Metrics {

    private Metrics() {
    }

    /** The value of the first sample whose line starts with {@code prefix}, or -1 when there is none. */
    public static double value(String prefix) {
        String metrics = given().when().get("/q/metrics").asString();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }
}
