package dev.drover.executor.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keeps every line it gets, for assertions; safe to call from the runner's threads. */
final class RecordingSink implements LogSink {
    record Line(LogStream stream, String text) {
    }

    private final List<Line> lines = new ArrayList<>();

    @Override
    public synchronized void line(LogStream stream, String line) {
        lines.add(new Line(stream, line));
    }

    synchronized List<String> lines(LogStream stream) {
        return lines.stream().filter(l -> l.stream() == stream).map(Line::text).toList();
    }

    synchronized boolean has(LogStream stream, String text) {
        return lines(stream).contains(text);
    }

    /** The first line of {@code stream} starting with {@code prefix}, without the prefix. */
    synchronized Optional<String> valueAfter(LogStream stream, String prefix) {
        return lines(stream).stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                .findFirst();
    }

    synchronized List<Line> all() {
        return new ArrayList<>(lines);
    }
}
