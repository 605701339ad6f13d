package dev.drover.ui.web;

import dev.drover.ui.UiSettings;
import dev.drover.ui.api.PageProblem;
import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The live parts of a page, as server-sent events: every {@code live-interval} the page's fragments are rendered
 * again from the APIs, and only those whose HTML changed since the last push are sent (drover.js puts each into the
 * element that names it). A session that ends (sign-out, expiry) gets an {@code expired} event and the stream ends.
 */
@Singleton
public class Live {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Live.class);
    private static final Duration LONGEST = Duration.ofHours(1);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private final UiSettings settings;

    public Live(UiSettings settings) {
        this.settings = settings;
    }

    /**
     * The stream of changed fragments, named by the element id they replace. {@code seen} ({@link #seen}, from the
     * page's live URL) says what the page was rendered with, so nothing is sent until something changes: a swap of
     * identical HTML would still reset what a person was doing in it (focus, a ticked box).
     */
    public Publisher<Event<String>> fragments(String seen, Supplier<Map<String, String>> render) {
        return Flux.defer(() -> {
            Map<String, String> sent = new HashMap<>();
            if (seen != null) {
                for (String pair : seen.split(",", 20)) {
                    int colon = pair.indexOf(':');
                    if (colon > 0) {
                        sent.put(pair.substring(0, colon), pair.substring(colon + 1));
                    }
                }
            }
            return Flux.interval(Duration.ZERO, settings.getLiveInterval(), Schedulers.boundedElastic())
                    .take(LONGEST.toMillis() / Math.max(1, settings.getLiveInterval().toMillis()))
                    .onBackpressureDrop()
                    .concatMapIterable(tick -> {
                        List<Event<String>> events = changed(render, sent);
                        if (events.isEmpty() && tick % heartbeatTicks() == 0) {
                            // nothing changed for a while: a comment line, so that a browser that left is noticed
                            // (the write fails) and its stream stops polling the APIs
                            return List.of(Event.of("").comment("still here").name("ping"));
                        }
                        return events;
                    })
                    .takeUntil(e -> "expired".equals(e.getName()));
        });
    }

    private long heartbeatTicks() {
        return Math.max(1, HEARTBEAT.toMillis() / Math.max(1, settings.getLiveInterval().toMillis()));
    }

    /** What a page was rendered with, for its live URL's {@code seen} parameter. */
    public static String seen(Map<String, String> fragments) {
        StringBuilder out = new StringBuilder();
        fragments.forEach((name, html) -> out.append(out.length() == 0 ? "" : ",").append(name).append(':')
                .append(hash(html)));
        return out.toString();
    }

    private static String hash(String html) {
        return Integer.toHexString(html.hashCode()) + Integer.toHexString(html.length());
    }

    private static List<Event<String>> changed(Supplier<Map<String, String>> render, Map<String, String> sent) {
        List<Event<String>> out = new ArrayList<>();
        try {
            render.get().forEach((name, html) -> {
                if (!hash(html).equals(sent.put(name, hash(html)))) {
                    out.add(Event.of(html).name(name));
                }
            });
        } catch (PageProblem p) {
            if (p.status() >= 500) {
                return out; // the API is briefly unreachable (a restart): keep the page, try on the next tick
            }
            if (p.status() == 401 || p.status() == 403 || p.status() == 404) {
                out.add(Event.of("<p class=\"note\">" + (p.status() == 401 ? "Your session ended: reload to sign "
                        + "in again." : "This page is no longer available.") + "</p>").name("expired"));
            }
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                return out; // the browser went away: the stream is being cancelled
            }
            // the API is briefly unreachable (a restart): keep the page as it is and try again on the next tick
            LOG.warn("a live part of a page could not be rendered; trying again on the next tick: {}", e.toString(),
                    LOG.isDebugEnabled() ? e : null);
        }
        return out;
    }
}
