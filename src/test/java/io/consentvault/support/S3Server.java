package io.consentvault.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3-compatible server the tests of this JVM talk to: S3Proxy on its filesystem backend, in a fresh directory
 * under {@code target/}, on a free port of the loopback, started once and stopped when the JVM exits. It checks
 * signatures (AWS v2 or v4) against one key pair, which it sets with a region as the JVM's {@code aws.*} system
 * properties: the SDK's default chains read those before the environment, so the application finds them as it finds
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_REGION} in production. Also a client of it,
 * for tests that check what was stored.
 */
public final class S3Server {

    public static final String ACCESS_KEY = "consent-test";
    public static final String SECRET_KEY = "consent-test-secret";

    private static URI endpoint;

    private S3Server() {
    }

    /** Where the server listens, {@code http://127.0.0.1:port}; started on the first call. */
    public static synchronized URI endpoint() {
        if (endpoint == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "s3-test").toAbsolutePath());
                Path base = Files.createTempDirectory(dir, "s3proxy");
                Properties properties = new Properties();
                properties.setProperty("jclouds.filesystem.basedir", base.toString());
                BlobStoreContext store = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused")
                        .overrides(properties).build(BlobStoreContext.class);
                S3Proxy proxy = S3Proxy.builder().blobStore(store.getBlobStore())
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                        .endpoint(URI.create("http://127.0.0.1:0")).build();
                proxy.start();
                Poll.until("S3Proxy started", Duration.ofSeconds(30), () -> "STARTED".equals(proxy.getState()));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        proxy.stop();
                    } catch (Exception ignored) {
                        // the JVM is ending anyway
                    }
                    store.close();
                }, "test-s3-stop"));
                endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
                System.setProperty("aws.accessKeyId", ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", SECRET_KEY);
                System.setProperty("aws.region", Region.US_EAST_1.id());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start: " + e, e);
            }
        }
        return endpoint;
    }

    /**
     * A client of the server at {@code endpoint} (which a test may have read from the application's settings), without
     * the SDK's checksum headers, which S3Proxy does not implement (a reader checks the manifest's SHA-256 instead).
     */
    public static S3Client client(URI endpoint) {
        return S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).endpointOverride(endpoint)
                .forcePathStyle(true).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build();
    }

    /** Makes a bucket, unless it is there already. */
    public static void bucket(S3Client s3, String name) {
        if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(name))) {
            s3.createBucket(b -> b.bucket(name));
        }
    }
}
