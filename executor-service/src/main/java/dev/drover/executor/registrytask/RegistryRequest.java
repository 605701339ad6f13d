package dev.drover.executor.registrytask;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One write to the registry's REST API that an attempt makes: a POST of {@code body} to {@code path}.
 *
 * @param path    below the registry's base URL, names already encoded, e.g. {@code /api/v1/models/churn/versions}
 * @param body    the JSON body
 * @param summary what the request does, for the attempt's log
 */
record RegistryRequest(String path, ObjectNode body, String summary) {

    RegistryRequest {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(summary, "summary");
    }
}
