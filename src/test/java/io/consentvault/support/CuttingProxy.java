package io.consentvault.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of PostgreSQL that can lose a commit's answer: once armed, it forwards the first client packet
 * holding a {@code COMMIT} to the server, then cuts every connection before any answer comes back, and refuses new
 * ones until healed. The server does get the COMMIT; the client never learns whether it landed.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile boolean armed;
    private volatile boolean refusing;

    public CuttingProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "cutting-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The next COMMIT reaches the server and its answer is lost; then no connection is taken until {@link #heal}. */
    public void armCutAfterCommit() {
        armed = true;
    }

    public void heal() {
        refusing = false;
    }

    /** How many times a commit's answer was cut off. */
    public int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                synchronized (this) {
                    // a connection that was being opened while the proxy cut is cut too
                    if (refusing) {
                        close(client);
                        close(upstream);
                        continue;
                    }
                    open.add(client);
                    open.add(upstream);
                }
                java.util.concurrent.atomic.AtomicBoolean muted = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client, upstream, true, muted);
                pump(upstream, client, false, muted);
            } catch (IOException e) {
                // closed, or a connection that failed: the client sees it as the database being away
            }
        }
    }

    /**
     * Copies one direction of a connection. {@code muted} is shared by both directions: once set (before the COMMIT is
     * forwarded), nothing more reaches the client, so the server's answer cannot slip back before the cut.
     */
    private void pump(Socket from, Socket to, boolean towardServer, java.util.concurrent.atomic.AtomicBoolean muted) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    boolean cut = towardServer && armed
                            && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("COMMIT");
                    if (cut) {
                        muted.set(true);
                    }
                    if (!towardServer && muted.get()) {
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                    if (cut) {
                        synchronized (CuttingProxy.this) {
                            armed = false;
                            refusing = true;
                            cuts.incrementAndGet();
                            cutAll();
                        }
                        return;
                    }
                }
            } catch (IOException e) {
                // one side went away: so does the other
            } finally {
                close(from);
                close(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void cutAll() {
        for (Socket s : open) {
            close(s);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}
