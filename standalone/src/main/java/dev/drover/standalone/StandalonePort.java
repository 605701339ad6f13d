package dev.drover.standalone;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The three ports the standalone listens on, each with its default and the option, environment variable and system
 * property that change it. One place, so that parsing, the start-up check and the error a taken port gives all name the
 * same setting.
 */
public enum StandalonePort {
    /** The REST API of every service (Micronaut binds every interface). */
    HTTP("HTTP", 8080, "--http-port", "DROVER_HTTP_PORT", "drover.http-port", null),
    /** The in-process broker's client listener, on the loopback address. */
    KAFKA("Kafka", 9092, "--kafka-port", "DROVER_KAFKA_PORT", "drover.kafka-port", InetAddress.getLoopbackAddress()),
    /** The embedded PostgreSQL, which listens on localhost. */
    POSTGRES("PostgreSQL", 5433, "--postgres-port", "DROVER_POSTGRES_PORT", "drover.postgres-port",
            InetAddress.getLoopbackAddress());

    private final String label;
    private final int defaultPort;
    private final String option;
    private final String variable;
    private final String property;
    private final InetAddress bindAddress;

    StandalonePort(String label, int defaultPort, String option, String variable, String property,
                   InetAddress bindAddress) {
        this.label = label;
        this.defaultPort = defaultPort;
        this.option = option;
        this.variable = variable;
        this.property = property;
        this.bindAddress = bindAddress;
    }

    public String label() {
        return label;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The launcher option, e.g. {@code --http-port}. */
    public String option() {
        return option;
    }

    /** The environment variable, e.g. {@code DROVER_HTTP_PORT}. */
    public String variable() {
        return variable;
    }

    /** The system property, e.g. {@code drover.http-port}. */
    public String property() {
        return property;
    }

    /**
     * Fails with {@link InUse} if {@code port} cannot be bound where the server will bind it. Checking first means a
     * taken port is reported before anything is started, instead of as a stack trace from whichever server trips on
     * it (or, for PostgreSQL, not at all: its start-up check would connect to whatever answers on the port).
     */
    public void requireFree(int port) {
        if (port <= 0) {
            return; // any free port: nothing to collide with
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as the servers bind: a port in TIME_WAIT from our own previous run is free to them, so to us
            socket.setReuseAddress(true);
            socket.bind(bindAddress == null ? new InetSocketAddress(port) : new InetSocketAddress(bindAddress, port));
        } catch (IOException e) {
            throw new InUse(this, port);
        }
    }

    /** {@code e}, or an {@link InUse} for this port if {@code e} was caused by a port that could not be bound. */
    public RuntimeException explain(RuntimeException e, int port) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return new InUse(this, port);
            }
        }
        return e;
    }

    /** A port the standalone was told to use is taken; the message says which, and how to choose another. */
    public static final class InUse extends IllegalStateException {
        private final StandalonePort which;
        private final int port;

        InUse(StandalonePort which, int port) {
            super(which.label + " port " + port + " is already in use (another Drover, or another program?): choose "
                    + "another with " + which.option + " N or " + which.variable + "=N, or 0 for any free port");
            this.which = which;
            this.port = port;
        }

        public StandalonePort which() {
            return which;
        }

        public int port() {
            return port;
        }
    }
}
