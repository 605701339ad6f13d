package dev.drover.ui.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.platform.security.BrowserSession;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Role;
import dev.drover.ui.api.DroverApi;
import dev.drover.ui.api.PageProblem;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who the session cookie belongs to, asked of the API once every few seconds per session (a page renders several
 * fragments, and live parts re-render every second: asking each time would double the API calls).
 */
@Singleton
public class Viewers {
    private static final long REMEMBER_MS = 5_000;
    private final DroverApi api;
    private final Map<String, Remembered> known = new ConcurrentHashMap<>();

    public Viewers(DroverApi api) {
        this.api = api;
    }

    public Viewer of(HttpRequest<?> request) {
        java.util.Optional<String> cookie = BrowserSession.token(request);
        String token = cookie.or(() -> bearer(request))
                .orElseThrow(() -> new PageProblem(401, "not signed in", ""));
        long now = System.currentTimeMillis();
        Remembered r = known.get((cookie.isPresent() ? "c:" : "h:") + token);
        if (r != null && now - r.at < REMEMBER_MS) {
            return r.viewer;
        }
        JsonNode me = api.read(token, "/api/v1/me");
        List<Grant> grants = new ArrayList<>();
        me.path("roles").forEach(g -> Role.byName(g.path("role").asText())
                .ifPresent(role -> grants.add(new Grant(role, g.path("scope").asText("")))));
        Viewer viewer = new Viewer(me.path("name").asText(), token, cookie.isPresent(), List.copyOf(grants));
        if (known.size() > 10_000) {
            known.clear();
        }
        known.put((cookie.isPresent() ? "c:" : "h:") + token, new Remembered(viewer, now));
        return viewer;
    }

    public void forget(String token) {
        known.remove("c:" + token);
        known.remove("h:" + token);
    }

    /** A script's API token, when it reads a page with {@code Authorization: Bearer} instead of a cookie. */
    private static java.util.Optional<String> bearer(HttpRequest<?> request) {
        String h = request.getHeaders().get("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? java.util.Optional.of(h.substring(7).trim()) : java.util.Optional.empty();
    }

    private record Remembered(Viewer viewer, long at) {
    }
}
