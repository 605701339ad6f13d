package dev.drover.ui.web;

import dev.drover.platform.security.BrowserSession;
import dev.drover.ui.api.PageProblem;

import java.util.Map;

/** Reading the UI's HTML forms: trimmed fields, and the session's form token that every form that changes carries. */
public final class Forms {

    private Forms() {
    }

    public static String text(Map<String, String> form, String field) {
        String v = form == null ? null : form.get(field);
        return v == null ? "" : v.trim();
    }

    /**
     * Refuses a browser's form that did not come from a page of its session (cross-site request forgery). A caller
     * that signed in with an {@code Authorization} header needs no form token: no other site can make a browser
     * send that header.
     */
    public static void requireCsrf(Viewer viewer, Map<String, String> form) {
        if (viewer.fromCookie() && !BrowserSession.csrfMatches(viewer.token(), form == null ? null : form.get(BrowserSession.CSRF_FIELD))) {
            throw new PageProblem(403, "This form did not come from your session (it is stale or from another site).",
                    "Reload the page and try again.");
        }
    }
}
