package dev.drover.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and stops a PostgreSQL server that a killed process left running on a data directory.
 *
 * <p>The embedded server is a child process: when its owner dies without closing it ({@code kill -9}, a crash, the
 * machine's OOM killer) it keeps running, holding the data directory and the port, and the next start on that
 * directory fails. The server names itself in the directory's {@code postmaster.pid} (first line the process id,
 * second line the data directory). Whoever owns a running server also holds zonky's {@code epg-lock} on the
 * directory, and the operating system drops that lock when the owner dies: a live {@code postgres} process named by
 * {@code postmaster.pid} while nobody holds the lock is an orphan.
 *
 * <p>It is stopped the way {@code pg_ctl stop} would (pg_ctl itself refuses to run as root): SIGINT, PostgreSQL's
 * fast shutdown (sessions are ended, a checkpoint is written, nothing committed is lost); if it is still running
 * after {@link #FAST_SHUTDOWN}, SIGQUIT (immediate shutdown: the next start replays the WAL); then SIGKILL.
 */
final class OrphanedPostmaster {

  static final String PID_FILE = "postmaster.pid";
  static final String OWNER_LOCK = "epg-lock";
  static final Duration FAST_SHUTDOWN = Duration.ofSeconds(10);
  private static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedPostmaster.class);

  private OrphanedPostmaster() {
  }

  /**
   * Stops the server an earlier owner left running on {@code dataDirectory}, if there is one, and removes a
   * {@code postmaster.pid} that names a process which is not a PostgreSQL server of this directory.
   *
   * @return whether an orphaned server was found and stopped
   * @throws IllegalStateException if a live process owns the directory (it is in use, not orphaned), or if the
   *                               orphan could not be stopped
   */
  static boolean stopIfAny(Path dataDirectory) {
    Path dir = dataDirectory.toAbsolutePath().normalize();
    Path pidFile = dir.resolve(PID_FILE);
    if (!Files.isRegularFile(pidFile)) {
      return false;
    }
    // Hold the owner's lock while deciding and stopping, so no other process can start a server here meanwhile.
    try (FileChannel channel = FileChannel.open(dir.resolve(OWNER_LOCK), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = tryLock(channel, dir)) {
      Optional<Long> pid = recordedPid(pidFile, dir);
      if (pid.isEmpty()) {
        return false;
      }
      Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
      if (process.isEmpty()) {
        LOG.info("{} names process {}, which is not running: a stale file PostgreSQL replaces on start", pidFile,
            pid.get());
        return false;
      }
      Boolean ours = isPostmasterOf(process.get(), dir);
      if (ours == null) {
        LOG.warn("{} names the running process {}, which cannot be inspected; leaving it to PostgreSQL", pidFile,
            pid.get());
        return false;
      }
      if (!ours) {
        // The server died with its owner and the process id was reused: PostgreSQL would refuse to start while the
        // file names a live process, and nothing else will remove it.
        LOG.warn("{} names process {}, now {}: not a PostgreSQL server of this directory; removing the stale file",
            pidFile, pid.get(), describe(process.get()));
        Files.deleteIfExists(pidFile);
        return false;
      }
      LOG.warn("PostgreSQL (pid {}) is still running on {} but no process owns it (its owner was killed?): "
          + "stopping it", pid.get(), dir);
      stop(process.get());
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + dir + " for an orphaned PostgreSQL server", e);
    }
  }

  private static FileLock tryLock(FileChannel channel, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IllegalStateException("PostgreSQL data directory " + dir + " is in use by another running process "
          + "(it holds " + OWNER_LOCK + "): stop that one first, or use another data directory");
    }
    return lock;
  }

  /** The process id in the file, if the file is complete and names this directory. */
  private static Optional<Long> recordedPid(Path pidFile, Path dir) throws IOException {
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
    if (lines.size() < 2) {
      return Optional.empty(); // being written by a server that is starting; PostgreSQL will sort it out
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (!sameDirectory(Path.of(lines.get(1).trim()), dir)) {
      LOG.warn("{} names another data directory ({}); leaving it to PostgreSQL", pidFile, lines.get(1).trim());
      return Optional.empty();
    }
    return Optional.of(pid);
  }

  /** Whether the process is a postgres server on {@code dir}; null if that cannot be told. */
  private static Boolean isPostmasterOf(ProcessHandle process, Path dir) {
    ProcessHandle.Info info = process.info();
    Optional<String> command = info.command();
    if (command.isEmpty()) {
      return null;
    }
    if (!Path.of(command.get()).getFileName().toString().equals("postgres")) {
      return false;
    }
    // The server zonky starts is "postgres -D <dir> -p <port> ..."; check the directory when the arguments are known.
    String[] args = info.arguments().orElse(new String[0]);
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-D")) {
        return sameDirectory(Path.of(args[i + 1]), dir);
      }
    }
    return true;
  }

  private static void stop(ProcessHandle postmaster) {
    long started = System.nanoTime();
    // Its children (checkpointer, writers, ...) exit with it; collected first, since they are no longer its children
    // once it has gone, and a new server refuses to start while they hold the old shared memory.
    List<ProcessHandle> children = postmaster.children().toList();
    String how;
    if (signal(postmaster, "INT") && awaitExit(postmaster, FAST_SHUTDOWN)) {
      how = "fast shutdown (SIGINT)";
    } else if (signal(postmaster, "QUIT") && awaitExit(postmaster, IMMEDIATE_SHUTDOWN)) {
      how = "immediate shutdown (SIGQUIT)";
    } else {
      postmaster.destroyForcibly();
      if (!awaitExit(postmaster, IMMEDIATE_SHUTDOWN)) {
        throw new IllegalStateException("the orphaned PostgreSQL server (pid " + postmaster.pid()
            + ") did not stop, even on SIGKILL");
      }
      how = "SIGKILL";
    }
    for (ProcessHandle child : children) {
      if (!awaitExit(child, IMMEDIATE_SHUTDOWN)) {
        child.destroyForcibly();
        awaitExit(child, IMMEDIATE_SHUTDOWN);
      }
    }
    LOG.warn("Stopped the orphaned PostgreSQL (pid {}) in {} ms by {}", postmaster.pid(),
        (System.nanoTime() - started) / 1_000_000, how);
  }

  /**
   * Sends a signal with the {@code kill} command: Java can only send SIGTERM and SIGKILL itself. If {@code kill} is
   * missing, SIGTERM (smart shutdown) stands in for SIGINT, which ends the same way since the dead owner's sessions are
   * gone.
   */
  private static boolean signal(ProcessHandle process, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return true;
      }
      kill.destroyForcibly();
    } catch (IOException e) {
      LOG.debug("no kill command to send SIG{}", signal, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return signal.equals("INT") && process.destroy();
  }

  private static boolean awaitExit(ProcessHandle process, Duration patience) {
    try {
      process.onExit().get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return !process.isAlive();
    } catch (ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private static boolean sameDirectory(Path a, Path b) {
    Path x = a.toAbsolutePath().normalize();
    Path y = b.toAbsolutePath().normalize();
    if (x.equals(y)) {
      return true;
    }
    try {
      return Files.isSameFile(x, y); // one of them through a symbolic link
    } catch (IOException e) {
      return false;
    }
  }

  private static String describe(ProcessHandle process) {
    return process.info().commandLine().orElse("an unknown program");
  }
}
