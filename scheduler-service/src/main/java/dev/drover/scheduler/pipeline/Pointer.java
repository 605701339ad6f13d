package dev.drover.scheduler.pipeline;

/** Builds the JSON-pointer paths of {@link SpecProblem}s; {@code /} stands for the document root. */
final class Pointer {
    static final String ROOT = "/";

    private Pointer() {
    }

    static String child(String parent, String key) {
        // RFC 6901 escaping, so a key holding '/' cannot be mistaken for two levels.
        String token = key.replace("~", "~0").replace("/", "~1");
        return (ROOT.equals(parent) ? "" : parent) + "/" + token;
    }

    static String child(String parent, int index) {
        return child(parent, Integer.toString(index));
    }
}
