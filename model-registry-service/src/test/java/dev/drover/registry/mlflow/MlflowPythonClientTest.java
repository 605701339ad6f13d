package dev.drover.registry.mlflow;

import dev.drover.platform.security.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The official MLflow Python client against the running registry: creates, updates, tags, aliases, stages,
 * searches with filters and paging, reads, and the errors it must understand, all checked inside
 * {@code src/test/resources/mlflow/python_client_check.py}.
 *
 * <p>The client runs in a virtualenv under {@code target/} with a pinned {@code mlflow-skinny}, created on first
 * use (it needs {@code python3} with {@code venv} and {@code pip}, and PyPI). Without them the test fails, saying
 * what to install: compatibility with MLflow's main client is not optional.
 */
class MlflowPythonClientTest {
    /** The MLflow Python client version this compatibility is checked against. */
    static final String MLFLOW_SKINNY = "mlflow-skinny==3.17.2";
    private static final String USER = "alice-py";
    private static final Path VENV = Path.of("target", "mlflow-python-venv").toAbsolutePath();

    private static final String PASSWORD = "correct-horse-battery-staple";
    private static final String CI_ACCOUNT = "ci-py";
    private static RegistryService registry;
    private static String ciToken;

    @BeforeAll
    static void start() throws Exception {
        // secured, as every Drover is by default: the client signs in like MLflow's basic-auth app wants
        registry = RegistryService.secured("mlflow_python_client");
        registry.account(USER, PASSWORD, Role.MODEL_MAINTAINER, Role.APPROVER);
        ciToken = registry.account(CI_ACCOUNT, null, Role.MODEL_MAINTAINER, Role.APPROVER);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theMlflowPythonClientWorksUnchangedSignedInWithAPassword() throws Exception {
        check(USER, Map.of("MLFLOW_TRACKING_USERNAME", USER, "MLFLOW_TRACKING_PASSWORD", PASSWORD));
    }

    @Test
    void theMlflowPythonClientWorksUnchangedSignedInWithAToken() throws Exception {
        check(CI_ACCOUNT, Map.of("MLFLOW_TRACKING_TOKEN", ciToken));
    }

    @Test
    void aWrongPasswordIsRefusedTheMlflowWay() throws Exception {
        Path python = venvWithMlflow();
        Path probe = Files.createTempFile("mlflow-wrong-password", ".py");
        Files.writeString(probe, """
                import sys
                from mlflow import MlflowClient
                from mlflow.exceptions import MlflowException
                try:
                    MlflowClient().search_registered_models()
                    print("NOT REFUSED")
                except MlflowException as e:
                    print("REFUSED", e.error_code)
                """);
        Result run = run(List.of(python.toString(), probe.toString()), env(Map.of("MLFLOW_TRACKING_USERNAME", USER,
                "MLFLOW_TRACKING_PASSWORD", "wrong-password")), Duration.ofMinutes(2));
        assertThat(run.output()).contains("REFUSED UNAUTHENTICATED");
    }

    private static void check(String principal, Map<String, String> credentials) throws Exception {
        Path python = venvWithMlflow();
        Path script = script();
        Result run = run(List.of(python.toString(), script.toString(), RegistryService.uniquePrefix("py"),
                principal), env(credentials), Duration.ofMinutes(5));
        if (run.exitCode() != 0) {
            fail("the MLflow Python client check failed (exit " + run.exitCode() + "):\n" + run.output());
        }
        assertThat(run.output()).contains("ALL CHECKS PASSED");
    }

    private static Map<String, String> env(Map<String, String> credentials) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("MLFLOW_TRACKING_URI", registry.url(),
                "MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0",
                "MLFLOW_HTTP_REQUEST_TIMEOUT", "60",
                "MLFLOW_DISABLE_TELEMETRY", "true",
                "DO_NOT_TRACK", "true",
                "PYTHONUNBUFFERED", "1"));
        env.putAll(credentials);
        return env;
    }

    /** The virtualenv's python, with the pinned mlflow-skinny installed (once per pinned version). */
    private static Path venvWithMlflow() throws Exception {
        Path python = VENV.resolve("bin").resolve("python");
        Path marker = VENV.resolve(".installed-" + MLFLOW_SKINNY.replace('=', '_'));
        if (Files.exists(marker) && Files.isExecutable(python)) {
            return python;
        }
        String system = System.getenv().getOrDefault("DROVER_PYTHON", "python3");
        Result version = run(List.of(system, "--version"), Map.of(), Duration.ofSeconds(30), "'" + system
                + "' was not found: install Python 3.9 or later with venv and pip (Debian/Ubuntu: apt-get install "
                + "python3 python3-venv python3-pip), or point DROVER_PYTHON at a python3 executable");
        Result venv = run(List.of(system, "-m", "venv", "--clear", VENV.toString()), Map.of(), Duration.ofMinutes(2));
        if (venv.exitCode() != 0) {
            fail("'" + system + " -m venv' failed with " + version.output().trim() + "; install the venv module "
                    + "(Debian/Ubuntu: apt-get install python3-venv):\n" + venv.output());
        }
        Result pip = run(List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check",
                "--quiet", MLFLOW_SKINNY), Map.of(), Duration.ofMinutes(8));
        if (pip.exitCode() != 0) {
            fail("pip could not install " + MLFLOW_SKINNY + " into " + VENV + " (it needs pip and access to "
                    + "PyPI):\n" + pip.output());
        }
        Files.writeString(marker, MLFLOW_SKINNY + "\n");
        return python;
    }

    private static Path script() throws URISyntaxException {
        return Path.of(MlflowPythonClientTest.class.getResource("/mlflow/python_client_check.py").toURI());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Map<String, String> env, Duration timeout) throws Exception {
        return run(command, env, timeout, null);
    }

    /** Runs a command with its output (stdout and stderr) captured; {@code missing}: the failure if it cannot start. */
    private static Result run(List<String> command, Map<String, String> env, Duration timeout, String missing)
            throws Exception {
        Path log = Files.createTempFile(Path.of("target"), "python-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            fail(missing != null ? missing : "could not run " + command + ": " + e.getMessage());
            throw e;
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(command + " did not finish within " + timeout + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        return new Result(process.exitValue(), output);
    }
}
