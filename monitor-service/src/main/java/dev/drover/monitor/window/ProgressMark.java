package dev.drover.monitor.window;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * How far a model's records have reached the commands topic, kept in the metadata of the committed offset of its
 * predictions partition (so it commits in the same transaction as the commands it describes). After a restart,
 * records at or below a mark are already counted in a window that was appended and are not counted again.
 *
 * @param predictions  offset of the last prediction counted in an appended {@code RecordWindow} (-1: none)
 * @param performance  offset of the last label counted in an appended {@code RecordPerformance} (-1: none)
 * @param badLabels    offset of the last label whose bad-record count was in an appended {@code RecordWindow}
 * @param lastEndMillis end of the model's last appended window (epoch ms, {@code Long.MIN_VALUE}: none)
 */
record ProgressMark(long predictions, long performance, long badLabels, long lastEndMillis) {
    static final ProgressMark NONE = new ProgressMark(-1, -1, -1, Long.MIN_VALUE);
    private static final String VERSION = "w1";

    /**
     * Encodes the marks and the position below which every record was processed once (dead letters sent) as
     * {@code w1|<position>|<model>,<p>,<perf>,<bad>,<end>|...}, model names URL-encoded.
     */
    static String encode(long processedBelow, Map<String, ProgressMark> marks) {
        StringBuilder b = new StringBuilder(VERSION).append('|').append(processedBelow);
        marks.forEach((model, m) -> b.append('|').append(URLEncoder.encode(model, StandardCharsets.UTF_8))
                .append(',').append(m.predictions).append(',').append(m.performance).append(',')
                .append(m.badLabels).append(',').append(m.lastEndMillis));
        return b.toString();
    }

    /** What {@link #encode} wrote; an empty or foreign metadata string reads as no marks. */
    static Decoded decode(String metadata) {
        Map<String, ProgressMark> marks = new HashMap<>();
        if (metadata == null || !metadata.startsWith(VERSION + "|")) {
            return new Decoded(-1, marks);
        }
        String[] parts = metadata.split("\\|");
        long processedBelow = Long.parseLong(parts[1]);
        for (int i = 2; i < parts.length; i++) {
            String[] f = parts[i].split(",");
            marks.put(URLDecoder.decode(f[0], StandardCharsets.UTF_8), new ProgressMark(Long.parseLong(f[1]),
                    Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
        }
        return new Decoded(processedBelow, marks);
    }

    /** Decoded metadata: the processed position (-1: unknown) and the marks by model. */
    record Decoded(long processedBelow, Map<String, ProgressMark> marks) {
    }
}
