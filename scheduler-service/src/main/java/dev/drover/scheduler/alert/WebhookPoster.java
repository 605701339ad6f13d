package dev.drover.scheduler.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Posts a JSON alert to one URL, retrying what may succeed later. Each post carries the alert's id as the
 * {@code Idempotency-Key} header, so a receiver can drop the repeats that at-least-once delivery brings.
 *
 * <p>A connection error, a timeout, a 429 or a 5xx is retried up to {@link Settings#attempts()} posts in all, with a
 * doubling pause; any other 4xx is final (the receiver will not change its mind). The monitor has a sender of its own
 * for its alert formats; this one is the scheduler's (services share no code but the platform and the schemas).
 */
public final class WebhookPoster {
    /** The header that carries the alert's id. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookPoster.class);

    /**
     * How hard to try.
     *
     * @param requestTimeout bound on one post (connect and answer)
     * @param attempts       posts per alert and URL, at least 1
     * @param initialBackoff pause before the second post; doubled before each further one
     */
    public record Settings(Duration requestTimeout, int attempts, Duration initialBackoff) {
        public Settings {
            if (attempts < 1) {
                throw new IllegalArgumentException("drover.scheduler.alerts.attempts must be at least 1, got "
                        + attempts);
            }
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("drover.scheduler.alerts.request-timeout must be longer than "
                        + "zero, e.g. 5s; got " + requestTimeout);
            }
            if (initialBackoff == null || initialBackoff.isNegative()) {
                throw new IllegalArgumentException("drover.scheduler.alerts.initial-backoff must be zero or more, "
                        + "e.g. 500ms; got " + initialBackoff);
            }
        }
    }

    private final Settings settings;
    private final HttpClient http;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    public WebhookPoster(Settings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    }

    /** Posts {@code body} to {@code url}; returns whether the receiver accepted it (2xx). Never throws. */
    public boolean post(String url, String alertId, String body) {
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            String problem;
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(settings.requestTimeout())
                        .header("Content-Type", "application/json")
                        .header(IDEMPOTENCY_HEADER, alertId)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    delivered.incrementAndGet();
                    return true;
                }
                problem = "answered " + status;
                if (status / 100 == 4 && status != 429) {
                    failed.incrementAndGet();
                    LOG.warn("webhook {} refused alert {} ({}); not retried", url, alertId, problem);
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                problem = e.toString();
            }
            if (attempt == settings.attempts()) {
                failed.incrementAndGet();
                LOG.warn("webhook {} failed alert {} after {} attempts: {}", url, alertId, attempt, problem);
                return false;
            }
            retries.incrementAndGet();
            try {
                Thread.sleep(backoff.toMillis()); // the pause between posts of one alert to one URL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            backoff = backoff.multipliedBy(2);
        }
        return false;
    }

    /** Posts a receiver accepted. */
    public long delivered() {
        return delivered.get();
    }

    /** Posts repeated after a failure. */
    public long retries() {
        return retries.get();
    }

    /** Alerts given up on for a URL (attempts exhausted, or a final 4xx). */
    public long failed() {
        return failed.get();
    }
}
