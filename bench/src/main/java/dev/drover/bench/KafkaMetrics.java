package dev.drover.bench;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

/**
 * Kafka's own metrics, read over JMX in this JVM (the broker and every client run here): request counts, errors and
 * the scheduler producer's retries and transaction times. Reported per phase as deltas, as evidence of where time
 * goes inside Kafka.
 */
final class KafkaMetrics {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    /** Counter values at one instant, by readable name. */
    static Map<String, Double> sample() {
        Map<String, Double> out = new TreeMap<>();
        try {
            for (ObjectName n : JMX.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=ErrorsPerSec,*"),
                    null)) {
                String error = n.getKeyProperty("error");
                if (!"NONE".equals(error)) {
                    out.put("broker errors " + n.getKeyProperty("request") + " " + error, count(n));
                }
            }
            for (ObjectName n : JMX.queryNames(new ObjectName(
                    "kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
                out.merge("broker requests " + n.getKeyProperty("request"), count(n), Double::sum);
            }
            for (ObjectName n : JMX.queryNames(new ObjectName("kafka.producer:type=producer-metrics,*"), null)) {
                String id = n.getKeyProperty("client-id");
                if (id == null || !id.contains("drover-scheduler")) {
                    continue;
                }
                for (String a : new String[]{"record-retry-total", "record-error-total", "record-send-total",
                        "request-total", "txn-begin-time-ns-total", "txn-send-offsets-time-ns-total",
                        "txn-commit-time-ns-total", "flush-time-ns-total"}) {
                    Object v = JMX.getAttribute(n, a);
                    if (v instanceof Number num) {
                        out.put("scheduler producer " + a, num.doubleValue());
                    }
                }
            }
        } catch (Exception e) {
            out.put("metrics unavailable: " + e.getClass().getSimpleName(), 0.0);
        }
        return out;
    }

    /** The broker's latency histogram of a request type (ms), since the broker started. */
    static String latency(String request) {
        try {
            ObjectName n = new ObjectName("kafka.network:type=RequestMetrics,name=TotalTimeMs,request=" + request);
            if (!JMX.isRegistered(n)) {
                return request + ": no data";
            }
            return String.format("%s total ms: count=%.0f mean=%.1f p50=%.1f p99=%.1f max=%.1f", request,
                    count(n), (Double) JMX.getAttribute(n, "Mean"), (Double) JMX.getAttribute(n, "50thPercentile"),
                    (Double) JMX.getAttribute(n, "99thPercentile"), (Double) JMX.getAttribute(n, "Max"));
        } catch (Exception e) {
            return request + ": " + e;
        }
    }

    static String report(Map<String, Double> a, Map<String, Double> b) {
        StringBuilder sb = new StringBuilder("  Kafka metrics (deltas):\n");
        for (var e : b.entrySet()) {
            double d = e.getValue() - a.getOrDefault(e.getKey(), 0.0);
            if (d == 0) {
                continue;
            }
            if (e.getKey().endsWith("-ns-total")) {
                sb.append(String.format("    %-62s %10.1f ms%n", e.getKey().replace("-ns-total", ""), d / 1e6));
            } else if (e.getKey().startsWith("broker requests") && d < 10) {
                continue;
            } else {
                sb.append(String.format("    %-62s %10.0f%n", e.getKey(), d));
            }
        }
        return sb.toString();
    }

    private static double count(ObjectName n) throws Exception {
        Object v = JMX.getAttribute(n, "Count");
        return v instanceof Number num ? num.doubleValue() : 0;
    }
}
