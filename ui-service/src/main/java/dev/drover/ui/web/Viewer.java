package dev.drover.ui.web;

import dev.drover.platform.security.BrowserSession;
import dev.drover.platform.security.Grant;
import dev.drover.platform.security.Permission;

import java.util.List;

/**
 * The signed-in person as the API described them ({@code GET /api/v1/me}): what the pages greet and which actions
 * they show. Showing is a courtesy only — every action is decided again by the API it calls. {@code fromCookie}:
 * signed in with the session cookie (a browser, whose forms must prove they came from this session), not with an
 * {@code Authorization} header (a script, which no other site can make a browser send).
 */
public record Viewer(String name, String token, boolean fromCookie, List<Grant> grants) {

    /** Whether a grant allows the permission on the named pipeline or model (null: on everything). */
    public boolean may(Permission permission, String resource) {
        return grants.stream().anyMatch(g -> g.allows(permission, resource));
    }

    public boolean mayOperate(String pipelineId) {
        return may(Permission.OPERATE, pipelineId);
    }

    public String csrf() {
        return BrowserSession.csrf(token);
    }

    /** The session token's id (not secret), which signs the session out. */
    public String sessionId() {
        String[] parts = token.split("_");
        return parts.length >= 3 ? parts[1] : "";
    }
}
