package dev.drover.ui.api;

import com.fasterxml.jackson.databind.JsonNode;

/** A REST API's answer: its status and JSON body (a missing node when it had none). */
public record ApiAnswer(int status, JsonNode body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The API error's message and fix ({@code ApiError}), for showing next to the form or button that caused it. */
    public String problem() {
        String message = body.path("message").asText("the request failed (HTTP " + status + ")");
        String fix = body.path("fix").asText("");
        return fix.isEmpty() ? message : message + " — " + fix;
    }
}
