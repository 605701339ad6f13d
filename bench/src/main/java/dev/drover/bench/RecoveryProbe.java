package dev.drover.bench;

import dev.drover.scheduler.core.SchedulerDecider;
import dev.drover.scheduler.core.SchedulerSettings;
import dev.drover.scheduler.loop.LogCodec;
import dev.drover.scheduler.loop.SchedulerLoop;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;

/**
 * A new scheduler in a fresh JVM, for the recovery figure: it starts a {@link SchedulerLoop} at once (same instance
 * id, hence the same transactional id, as the stopped one), says on stdout when the loop owns its partitions, and
 * runs until its stdin is closed.
 *
 * <p>Arguments: bootstrap servers, instance id, snapshot-every-events, transaction timeout (ms), lease (ms).
 */
public final class RecoveryProbe {
    private RecoveryProbe() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis();
        SchedulerLoop loop = new SchedulerLoop(new SchedulerLoop.LoopSettings(args[0], args[1],
                Long.parseLong(args[2]), Duration.ofMillis(Long.parseLong(args[3]))),
                new SchedulerDecider(new SchedulerSettings(Duration.ofMillis(Long.parseLong(args[4])))),
                new LogCodec(), Clock.systemUTC());
        loop.start();
        System.out.println("main " + (mainAt - jvmStart) + " ms after JVM start");
        Thread watcher = new Thread(() -> {
            while (!loop.processing()) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.out.println("processing " + (System.currentTimeMillis() - jvmStart) + " ms after JVM start");
        });
        watcher.setDaemon(true);
        watcher.start();
        while (System.in.read() >= 0) {
            // run until the parent closes our stdin
        }
        loop.close();
        System.out.println("decided " + loop.commandsDecided() + " commands");
        System.exit(0);
    }
}
