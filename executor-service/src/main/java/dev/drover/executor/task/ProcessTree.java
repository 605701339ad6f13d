package dev.drover.executor.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Kills a process and everything it started: SIGTERM to all, then SIGKILL to whatever is still alive after a grace.
 *
 * <p>Members are found two ways, because neither suffices alone. {@link ProcessHandle#descendants()} finds the tree
 * as long as the parents live, but a child forked just before its parent dies of our SIGTERM is re-parented and lost
 * to the tree (seen under load when a task is canceled right after its start). So on Linux we also look for
 * processes whose environment carries the attempt's marker variable, which every child inherits wherever it ends up.
 * Scanning repeats until a scan finds nobody alive, so processes forked while we kill are caught too.
 * {@link ProcessHandle} carries the start time, so a recycled PID is never signalled.
 */
final class ProcessTree {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long to wait for SIGKILLed processes to vanish; only a process stuck in the kernel takes longer. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    private static final Path PROC = Path.of("/proc");

    private final ProcessHandle root;
    private final byte[] envMarker;
    private final Set<ProcessHandle> known = new LinkedHashSet<>();

    private ProcessTree(ProcessHandle root, String envMarker) {
        this.root = root;
        this.envMarker = envMarker == null ? null : envMarker.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Kills the tree rooted at {@code root} and waits (at most grace plus a few seconds) for it to be gone.
     *
     * @param envMarker an environment entry ({@code NAME=value}) unique to this tree, or {@code null}
     * @return how many processes needed SIGKILL
     */
    static int kill(ProcessHandle root, String envMarker, Duration grace) {
        ProcessTree tree = new ProcessTree(root, envMarker);
        tree.signalUntilGone(grace, false);
        List<ProcessHandle> survivors = tree.alive();
        if (survivors.isEmpty()) {
            return 0;
        }
        survivors.forEach(ProcessHandle::destroyForcibly);
        tree.signalUntilGone(AFTER_KILL, true);
        return survivors.size();
    }

    /** Signals every member found, again and again, until a fresh scan finds none alive or the time is up. */
    private void signalUntilGone(Duration max, boolean forcibly) {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            for (ProcessHandle p : discover()) {
                if (forcibly) {
                    p.destroyForcibly();
                } else {
                    p.destroy();
                }
            }
            if (alive().isEmpty() || System.nanoTime() - deadline >= 0) {
                return;
            }
            // Polling: the JDK offers no exit notification for processes that are not our own children.
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Finds members not seen before: descendants of live members, marked processes, and the root. Newcomers come
     * descendants first and the root last: a shell that died first would leave its children to be re-parented.
     */
    private List<ProcessHandle> discover() {
        List<ProcessHandle> found = new ArrayList<>();
        List<ProcessHandle> parents = new ArrayList<>(known);
        parents.add(root);
        for (ProcessHandle parent : parents) {
            if (parent.isAlive()) {
                parent.descendants().filter(known::add).forEach(found::add);
            }
        }
        markedProcesses().stream().filter(known::add).forEach(found::add);
        if (known.add(root)) {
            found.add(root);
        }
        return found;
    }

    private List<ProcessHandle> markedProcesses() {
        if (envMarker == null || !Files.isDirectory(PROC)) {
            return List.of();
        }
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && hasMarker(p.pid()))
                .toList();
    }

    private boolean hasMarker(long pid) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException | SecurityException e) {
            // Gone meanwhile, or another user's process: not one of ours either way.
            return false;
        }
        // NUL-separated NAME=value entries; compare whole entries only.
        int start = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i == environ.length || environ[i] == 0) {
                if (i - start == envMarker.length && regionMatches(environ, start)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private boolean regionMatches(byte[] environ, int start) {
        for (int j = 0; j < envMarker.length; j++) {
            if (environ[start + j] != envMarker[j]) {
                return false;
            }
        }
        return true;
    }

    private List<ProcessHandle> alive() {
        return known.stream().filter(ProcessTree::running).toList();
    }

    /**
     * Alive and not a zombie. {@link ProcessHandle#isAlive()} counts zombies as alive, and a killed orphan stays a
     * zombie forever where PID 1 does not reap (common in containers), which would make us wait for it in vain.
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(p.pid())).resolve("stat"), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            // No /proc (not Linux): trust isAlive. Gone since: not running.
            return !Files.isDirectory(PROC);
        }
        // "pid (comm) S ...": the command may itself hold parentheses, so the state follows the last one.
        int close = stat.lastIndexOf(')');
        char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return state != 'Z' && state != 'X';
    }
}
