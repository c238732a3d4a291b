package io.consentvault.export.write;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket and a key prefix of S3 or an S3-compatible store, {@code s3://bucket/prefix}. A file is streamed as a
 * multipart upload, a part of {@link #PART_SIZE} at a time, so memory holds one part whatever the file's size; it
 * appears under its key only when the upload completes ({@link Output#commit}), whole, and an aborted one leaves
 * nothing. A file that fits in one part is one {@code PutObject}. Blocking, like the runner's thread that calls it.
 * <p>
 * Credentials and region come from the standard AWS chains (environment, profile, container or instance role). A
 * custom endpoint ({@code consent.export.s3-endpoint}) is addressed path-style, as S3-compatible stores expect, and
 * falls back to {@code us-east-1} when no region is configured: such stores rarely care which, but requests are signed
 * for one.
 */
public final class S3Destination implements Destination {

    /** The bytes held before a part is sent (above S3's least, 5 MiB): the most one file being written holds. */
    public static final int PART_SIZE = 8 * 1024 * 1024;
    /** S3's least size of a part that is not the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private static final Logger LOG = Logger.getLogger(S3Destination.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;

    private S3Destination(S3Client s3, Location location, int partSize) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("an S3 part is at least " + MIN_PART_SIZE + " bytes: " + partSize);
        }
        this.s3 = s3;
        this.bucket = location.bucket();
        this.prefix = location.prefix();
        this.partSize = partSize;
    }

    /** The bucket and key prefix of an {@code s3://} URI; the prefix without its slashes at either end. */
    public record Location(String bucket, String prefix) {

        /** Reads {@code s3://bucket/prefix}, or says what is wrong with it. */
        public static Location of(URI uri) {
            if (!"s3".equals(uri.getScheme()) || uri.isOpaque()) {
                throw new IllegalArgumentException("an S3 destination is s3://bucket/prefix: " + uri);
            }
            String bucket = uri.getRawAuthority();
            if (bucket != null && bucket.contains("@")) {
                // credentials written into the URI are never repeated, in a log or anywhere else
                throw new IllegalArgumentException("an S3 destination carries no credentials (they come from the AWS"
                        + " environment): s3://***@" + bucket.substring(bucket.lastIndexOf('@') + 1) + "/...");
            }
            if (bucket == null || bucket.isEmpty() || bucket.contains(":")) {
                throw new IllegalArgumentException("an S3 destination names its bucket, s3://bucket/prefix: " + uri);
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("an S3 destination has no query or fragment: " + uri);
            }
            String prefix = uri.getPath() == null ? "" : uri.getPath();
            return new Location(bucket, strip(prefix));
        }
    }

    /** Checks an S3 endpoint setting: an absolute http or https URI. */
    public static URI endpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the S3 endpoint is not a URI: " + endpoint, e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("the S3 endpoint is http(s)://host[:port]: " + endpoint);
        }
        return uri;
    }

    /** A destination with a client of its own, closed with it. */
    public static S3Destination open(URI uri, Optional<String> endpoint) {
        return open(uri, endpoint, PART_SIZE);
    }

    static S3Destination open(URI uri, Optional<String> endpoint, int partSize) {
        Location location = Location.of(uri);
        // credentials: left to the client, whose default is the DefaultCredentialsProvider chain, closed with it.
        // Integrity by Content-MD5, which S3 and every S3-compatible store check; the SDK's default trailing
        // checksums (aws-chunked with a trailer) are unknown to many such stores (S3Proxy answers 501 or 400).
        S3ClientBuilder builder = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED);
        if (endpoint.isPresent()) {
            builder.endpointOverride(endpoint(endpoint.get())).forcePathStyle(true).region(region(Region.US_EAST_1));
        } else {
            builder.region(region(null));
        }
        return new S3Destination(builder.build(), location, partSize);
    }

    /** The region of the AWS environment, or {@code fallback}; with no fallback, a missing region is an error. */
    private static Region region(Region fallback) {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            if (fallback != null) {
                return fallback;
            }
            throw new IllegalStateException("no AWS region for the S3 export destination (AWS_REGION): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Output create(String path) {
        return new Upload(key(path));
    }

    @Override
    public List<String> list(String dir) throws IOException {
        String under = key(dir) + "/";
        List<String> names = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(under)
                    .delimiter("/").build()).contents()) {
                String name = o.key().substring(under.length());
                if (!name.isEmpty()) { // the directory's own marker, as consoles make them
                    names.add(name);
                }
            }
        } catch (SdkException e) {
            throw new IOException(name(under) + " could not be listed: " + e.getMessage(), e);
        }
        return names;
    }

    @Override
    public String uri(String path) {
        return name(key(path));
    }

    @Override
    public void close() {
        s3.close();
    }

    private String name(String key) {
        return "s3://" + bucket + "/" + key;
    }

    private String key(String path) {
        String p = strip(path);
        return prefix.isEmpty() ? p : p.isEmpty() ? prefix : prefix + "/" + p;
    }

    private static String strip(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') {
            from++;
        }
        while (to > from && path.charAt(to - 1) == '/') {
            to--;
        }
        return path.substring(from, to);
    }

    /**
     * One file: its bytes gathered into a part-sized buffer, each full buffer sent as a part of a multipart upload
     * begun with the first. After any failure it takes nothing more and can only be aborted.
     */
    private final class Upload extends OutputStream implements Output {

        private final String key;
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer = new byte[Math.min(partSize, 64 * 1024)];
        private int filled;
        private String uploadId;
        private boolean broken;

        Upload(String key) {
            this.key = key;
        }

        @Override
        public OutputStream stream() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            open();
            room();
            buffer[filled++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            open();
            while (len > 0) {
                room();
                int n = Math.min(len, buffer.length - filled);
                System.arraycopy(b, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() {
            // the file is ended by commit or abort, not by closing its stream
        }

        @Override
        public void commit() throws IOException {
            open();
            try {
                if (uploadId == null) {
                    String md5 = md5();
                    s3.putObject(r -> r.bucket(bucket).key(key).contentLength((long) filled).contentMD5(md5), body());
                } else {
                    if (filled > 0) {
                        send();
                    }
                    s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(u -> u.parts(parts)));
                }
            } catch (SdkException e) {
                broken = true;
                throw failed("written", e);
            }
            buffer = null;
        }

        @Override
        public void abort() {
            broken = true;
            buffer = null;
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
                } catch (SdkException e) {
                    // its parts stay unseen (never listed, never under the key) until the bucket's lifecycle drops them
                    LOG.warnf("the upload of %s could not be aborted: %s", name(key), e.toString());
                }
            }
        }

        private void open() throws IOException {
            if (broken || buffer == null) {
                throw new IOException(name(key) + " is no longer being written");
            }
        }

        /** Makes room in a full buffer: it grows up to a part (a small file holds little), then a full part is sent. */
        private void room() throws IOException {
            if (filled == buffer.length) {
                if (buffer.length < partSize) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(partSize, 2L * buffer.length));
                } else {
                    send();
                }
            }
        }

        /** Sends the buffer as the next part, beginning the multipart upload with the first. */
        private void send() throws IOException {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
                }
                int number = parts.size() + 1;
                String md5 = md5();
                String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) filled).contentMD5(md5), body()).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                filled = 0;
            } catch (SdkException e) {
                broken = true;
                throw failed("sent", e);
            }
        }

        /** The buffer's MD5, which the store checks what it received against (base64, as Content-MD5 is). */
        private String md5() {
            try {
                MessageDigest md5 = MessageDigest.getInstance("MD5");
                md5.update(buffer, 0, filled);
                return Base64.getEncoder().encodeToString(md5.digest());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The buffer's bytes, read again from the start on each attempt the client makes. */
        private RequestBody body() {
            byte[] bytes = buffer;
            int length = filled;
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                    "application/octet-stream");
        }

        private IOException failed(String what, Exception e) {
            return new IOException(name(key) + " could not be " + what + ": " + e.getMessage(), e);
        }
    }
}
