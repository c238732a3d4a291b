package io.consentvault.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * Points the application under test at {@link S3Server} ({@code consent.export.s3-endpoint}), with the bucket
 * {@link #BUCKET} made; the key pair and region reach the application through the SDK's default chains.
 */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "consent-exports";

    @Override
    public Map<String, String> start() {
        String endpoint = S3Server.endpoint().toString();
        try (S3Client s3 = S3Server.client(S3Server.endpoint())) {
            S3Server.bucket(s3, BUCKET);
        }
        return Map.of("consent.export.s3-endpoint", endpoint);
    }

    @Override
    public void stop() {
        // the server lives as long as the test JVM, like the database
    }
}
