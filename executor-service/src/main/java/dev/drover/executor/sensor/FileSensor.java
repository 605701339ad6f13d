package dev.drover.executor.sensor;

import dev.drover.executor.task.LogSink;
import dev.drover.executor.task.LogStream;
import dev.drover.executor.task.TaskInvocation;
import dev.drover.executor.task.TaskResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code wait_for_file}: waits until a file exists.
 *
 * <ul>
 *   <li>a local path, or a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}, {@code **} across directories),
 *       relative to the executor's work directory unless absolute — on the executor's host, so use a path every
 *       executor of the queue sees (a shared mount);</li>
 *   <li>an {@code http(s)://} URL of an object, checked with {@code HEAD}: 2xx means it exists, 404 or 410 that it
 *       does not yet. That covers object stores through their HTTP endpoints (public or pre-signed URLs of S3, GCS,
 *       Azure Blob, MinIO); there are no cloud SDKs in Drover, so {@code s3://} and {@code gs://} are not read.</li>
 * </ul>
 * Outputs: {@code path} (the first match, in name order), {@code paths} (up to 100 matches), {@code count}, and for a
 * single file its {@code size} and {@code modified}; for a URL {@code status} and, when the server sends them,
 * {@code content_length}, {@code etag} and {@code last_modified}.
 */
final class FileSensor implements Sensor {
    static final int MAX_LISTED = 100;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private final Path workDir;

    FileSensor(Path workDir) {
        this.workDir = workDir;
    }

    @Override
    public String type() {
        return "wait_for_file";
    }

    @Override
    public TaskResult poke(TaskInvocation inv, LogSink logs) throws SensorException, InterruptedException {
        Object value = inv.config().get("path");
        if (!(value instanceof String path) || path.isBlank()) {
            throw new SensorException("wait_for_file needs `path`: a file, a glob such as /data/in/*.csv, or an "
                    + "http(s) object URL; got " + value);
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return object(path.strip(), logs);
        }
        if (lower.matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw new SensorException("wait_for_file cannot read `" + path + "`: only local paths and http(s) URLs "
                    + "are supported (no cloud SDKs); use the object store's HTTPS URL, e.g. a pre-signed URL");
        }
        return isGlob(path) ? glob(path) : file(workDir.resolve(path).normalize());
    }

    private static TaskResult file(Path p) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("path", p.toString());
            out.put("paths", List.of(p.toString()));
            out.put("count", 1L);
            out.put("size", attrs.size());
            out.put("modified", attrs.lastModifiedTime().toInstant().toString());
            return new TaskResult.Succeeded(out);
        } catch (IOException e) {
            return new TaskResult.NotYet("no file at " + p);
        }
    }

    private TaskResult glob(String pattern) throws SensorException {
        Path absolute = workDir.resolve(pattern).normalize();
        Path base = absolute.getRoot() == null ? workDir : absolute.getRoot();
        int depth = 0;
        boolean inBase = true;
        for (Path part : absolute) {
            if (inBase && !isGlob(part.toString())) {
                base = base.resolve(part);
            } else {
                inBase = false;
                depth++;
            }
        }
        if (!Files.isDirectory(base)) {
            return new TaskResult.NotYet("no file matches " + absolute + " (" + base + " does not exist)");
        }
        String glob = absolute.toString();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob.replace("\\", "\\\\"));
        int maxDepth = glob.contains("**") ? Integer.MAX_VALUE : depth;
        List<String> matches;
        try (Stream<Path> walk = Files.walk(base, maxDepth)) {
            matches = walk.filter(p -> !p.equals(absolute.getRoot())).filter(matcher::matches)
                    .map(Path::toString).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new SensorException("could not list " + base + " for " + absolute + ": " + e.getMessage(), e);
        }
        if (matches.isEmpty()) {
            return new TaskResult.NotYet("no file matches " + absolute);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", matches.get(0));
        out.put("paths", matches.subList(0, Math.min(MAX_LISTED, matches.size())));
        out.put("count", (long) matches.size());
        return new TaskResult.Succeeded(out);
    }

    private static TaskResult object(String url, LogSink logs) throws SensorException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SensorException("`" + url + "` is not a URL: " + e.getMessage(), e);
        }
        HttpResponse<Void> response;
        try {
            logs.line(LogStream.SYSTEM, "HEAD " + uri);
            response = HTTP.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new SensorException("could not reach " + uri + ": " + e, e);
        }
        int status = response.statusCode();
        if (status == 404 || status == 410) {
            return new TaskResult.NotYet("no object at " + uri + " yet (HEAD answered " + status + ")");
        }
        if (status / 100 != 2) {
            throw new SensorException("HEAD " + uri + " answered " + status + "; expected 2xx (exists) or 404 (not "
                    + "yet) — check the URL and its credentials (a pre-signed URL may have expired)");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", url);
        out.put("url", url);
        out.put("status", (long) status);
        response.headers().firstValueAsLong("content-length").ifPresent(n -> out.put("content_length", n));
        response.headers().firstValue("etag").ifPresent(v -> out.put("etag", v));
        response.headers().firstValue("last-modified").ifPresent(v -> out.put("last_modified", v));
        return new TaskResult.Succeeded(out);
    }

    static boolean isGlob(String path) {
        return path.contains("*") || path.contains("?") || path.contains("[") || path.contains("{");
    }
}
