package dev.drover.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the registry suite, run as its own process so that its CPU is not the registry's JVM's:
 * alias lookups ({@code GET /api/2.0/mlflow/registered-models/alias?name=<model>&alias=champion}) of random models,
 * over persistent HTTP/1.1 connections (one per worker thread; a plain socket client, so that the generator costs
 * little of the two cores it shares with the registry).
 *
 * <p>Usage: {@code AliasLoad <baseUrl> <models> <mode> <seconds> <n> [connections]}. Mode {@code closed}: {@code n}
 * connections send back to back; prints {@code per_s}. Mode {@code open}: {@code n} requests per second on a fixed
 * schedule, shared by {@code connections} workers (default 32); each request's latency is measured from its
 * scheduled time, so a stall counts against every request it delays (no coordinated omission); prints
 * {@code p50_ms}, {@code p99_ms}, {@code max_ms}, {@code completed_per_s} and {@code errors} (answers other than 200
 * or failed connections). The first 3 seconds are warm-up and not counted.
 */
public final class AliasLoad {
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** The API token's header line (from {@code DROVER_TOKEN}), or nothing when security is off. */
    private static final String AUTHORIZATION = System.getenv("DROVER_TOKEN") == null ? ""
            : "Authorization: Bearer " + System.getenv("DROVER_TOKEN") + "\r\n";

    private AliasLoad() {
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        int models = Integer.parseInt(args[1]);
        String mode = args[2];
        int seconds = Integer.parseInt(args[3]);
        int n = Integer.parseInt(args[4]);
        int connections = args.length > 5 ? Integer.parseInt(args[5]) : 32;
        if (mode.equals("closed")) {
            closed(base, models, seconds, n);
        } else {
            open(base, models, seconds, n, connections);
        }
        System.exit(0);
    }

    private static String path(int models) {
        return "/api/2.0/mlflow/registered-models/alias?name="
                + RegistryBench.modelName(ThreadLocalRandom.current().nextInt(models)) + "&alias=champion";
    }

    private static void closed(URI base, int models, int seconds, int connections) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread t = new Thread(() -> {
                try (Connection c = new Connection(base)) {
                    while (!stop.get()) {
                        boolean ok = c.get(path(models)) == 200;
                        if (measuring.get()) {
                            (ok ? done : errors).incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            }, "load-" + i);
            t.start();
            workers.add(t);
        }
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(WARMUP_NANOS));
        measuring.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.get();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        stop.set(true);
        for (Thread t : workers) {
            t.join(10_000);
        }
        System.out.printf(Locale.ROOT, "per_s %.0f%n", count / elapsed);
        System.out.printf(Locale.ROOT, "errors %d%n", errors.get());
    }

    private static void open(URI base, int models, int seconds, int rate, int connections) throws Exception {
        long interval = 1_000_000_000L / rate;
        int warmup = (int) (WARMUP_NANOS / interval);
        int total = warmup + rate * seconds;
        long[] latencies = new long[total - warmup];
        AtomicLong next = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime() + 100_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < connections; w++) {
            Thread t = new Thread(() -> {
                Connection c = null;
                for (long i; (i = next.getAndIncrement()) < total; ) {
                    long scheduled = start + i * interval;
                    long wait = scheduled - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                    }
                    boolean ok;
                    try {
                        if (c == null) {
                            c = new Connection(base);
                        }
                        ok = c.get(path(models)) == 200;
                    } catch (IOException e) {
                        ok = false;
                        closeQuietly(c);
                        c = null;
                    }
                    long latency = System.nanoTime() - scheduled;
                    if (!ok) {
                        errors.incrementAndGet();
                    }
                    if (i >= warmup) {
                        latencies[(int) (i - warmup)] = latency;
                    }
                }
                closeQuietly(c);
            }, "load-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double measured = (System.nanoTime() - start - WARMUP_NANOS) / 1e9;
        System.out.printf(Locale.ROOT, "p50_ms %.2f%n", Stats.percentile(latencies, 50) / 1e6);
        System.out.printf(Locale.ROOT, "p99_ms %.2f%n", Stats.percentile(latencies, 99) / 1e6);
        System.out.printf(Locale.ROOT, "max_ms %.2f%n", Stats.percentile(latencies, 100) / 1e6);
        System.out.printf(Locale.ROOT, "offered_per_s %d%n", rate);
        System.out.printf(Locale.ROOT, "completed_per_s %.0f%n", (total - warmup) / measured);
        System.out.printf(Locale.ROOT, "errors %d%n", errors.get());
    }

    private static void sleepNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            c.close();
        }
    }

    /** One persistent HTTP/1.1 connection: a GET, its status, its body read (Content-Length or chunked). */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        Connection(URI base) throws IOException {
            this.socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            this.host = base.getHost() + ":" + base.getPort();
        }

        int get(String path) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\n"
                    + AUTHORIZATION + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            for (String h; !(h = line()).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                line();
            } else if (length > 0) {
                skip(length);
            }
            return code;
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    s = 1;
                }
                n -= s;
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
