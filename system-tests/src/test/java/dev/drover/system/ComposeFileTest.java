package dev.drover.system;

import dev.drover.executor.ExecutorApplication;
import dev.drover.executor.ExecutorConfig;
import dev.drover.monitor.MonitorApplication;
import dev.drover.platform.kafka.KafkaSettings;
import dev.drover.registry.RegistryApplication;
import dev.drover.scheduler.SchedulerApplication;
import io.micronaut.context.annotation.ConfigurationProperties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.kafka.coordinator.group.GroupCoordinatorConfig;
import org.apache.kafka.coordinator.share.ShareCoordinatorConfig;
import org.apache.kafka.coordinator.transaction.TransactionLogConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import scala.jdk.javaapi.CollectionConverters;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks {@code docker-compose.yml}, {@code deploy/Dockerfile} and {@code .dockerignore} without Docker (there is no
 * Docker engine where the tests run): the file is parsed and compared with what the code says each service needs.
 *
 * <p>Expectations come from the code wherever they can, so that the test fails when the code and the file drift:
 * <ul>
 *   <li>each service's settings are the {@code ${property:default}} placeholders of its {@code defaults()} map, the
 *       {@code drover.*.port} placeholder compiled into its main class, and the setters of the
 *       {@code @ConfigurationProperties} classes of its package (and of the shared platform); a setting whose default
 *       points at {@code localhost}, or that {@code defaults()} declares, must be set in the file, and every
 *       {@code DROVER_*} variable in the file must be one of them, with a value of the right type;</li>
 *   <li>the broker's environment is turned into broker properties the way the {@code apache/kafka} image does, and
 *       Kafka's own {@link KafkaConfig} (from the Kafka jars Drover is built with) must accept them; the single-node
 *       settings are checked by Kafka's config-name constants;</li>
 *   <li>main classes are loaded with {@link Class#forName}, so a renamed or moved main class fails here.</li>
 * </ul>
 */
class ComposeFileTest {
    /** The Drover services in the file and the main class each runs. */
    private static final Map<String, Class<?>> DROVER_SERVICES = linked(
            "scheduler", SchedulerApplication.class,
            "executor", ExecutorApplication.class,
            "model-registry", RegistryApplication.class,
            "monitor", MonitorApplication.class,
            "ui", dev.drover.ui.UiApplication.class);
    private static final String KAFKA = "kafka";
    private static final String POSTGRES = "postgres";
    /** The service that runs tasks: scaled with --scale, shares run directories, needs a JDK for the examples. */
    private static final String EXECUTOR = "executor";

    /** Variables of the apache/kafka image that configure the JVM or the image, not the broker. */
    private static final Set<String> KAFKA_IMAGE_VARIABLES = Set.of("CLUSTER_ID", "KAFKA_HEAP_OPTS", "KAFKA_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JMX_PORT",
            "KAFKA_JMX_HOSTNAME", "KAFKA_LOG4J_LOGGERS", "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_TOOLS_LOG4J_LOGLEVEL",
            "KAFKA_DEBUG");
    private static final Pattern PORT_PLACEHOLDER =
            Pattern.compile("\\$\\{(drover\\.[a-z0-9.-]+\\.port):(\\d+)}");

    private static Path root;
    private static Map<String, Object> compose;
    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void parse() throws IOException {
        root = repositoryRoot();
        Path file = root.resolve("docker-compose.yml");
        assertThat(file).as("docker-compose.yml at the repository root").isRegularFile();
        compose = map(new Yaml().load(Files.readString(file)), "docker-compose.yml");
        services = new LinkedHashMap<>();
        map(compose.get("services"), "services").forEach((name, s) -> services.put(name, map(s, name)));
    }

    // ---------------------------------------------------------------------------------------------------- services

    @Test
    void everyPartOfTheSystemIsAService() {
        Set<String> expected = new LinkedHashSet<>(List.of(KAFKA, POSTGRES));
        expected.addAll(DROVER_SERVICES.keySet());
        assertThat(services.keySet()).containsAll(expected);
    }

    @Test
    void everyServiceHasAnImageOrABuildWhoseDockerfileExists() throws IOException {
        for (var e : services.entrySet()) {
            String name = e.getKey();
            Map<String, Object> s = e.getValue();
            assertThat(s.containsKey("image") || s.containsKey("build")).as("%s has an image or a build", name)
                    .isTrue();
            if (s.containsKey("image")) {
                assertThat(string(s.get("image"))).as("%s image", name).isNotBlank();
            }
            if (s.containsKey("build")) {
                Dockerfile d = dockerfile(name);
                String target = string(build(name).get("target"));
                if (target != null) {
                    assertThat(d.stage(target)).as("%s: stage %s in %s", name, target, d.path()).isPresent();
                }
            }
        }
        assertThat(string(services.get(KAFKA).get("image"))).startsWith("apache/kafka:");
        assertThat(string(services.get(POSTGRES).get("image"))).isEqualTo("postgres:16");
    }

    @Test
    void theBrokerImageIsTheKafkaVersionDroverIsBuiltWith() {
        assertThat(string(services.get(KAFKA).get("image"))).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    }

    // ------------------------------------------------------------------------------------ images and main classes

    @Test
    void eachDroverImageRunsItsServicesMainClassFromItsModule() throws Exception {
        for (var e : DROVER_SERVICES.entrySet()) {
            String name = e.getKey();
            Map<String, Object> b = build(name);
            Map<String, Object> args = map(b.get("args"), name + ".build.args");
            String module = string(args.get("MODULE"));
            String mainClass = string(args.get("MAIN_CLASS"));
            assertThat(module).as("%s: build arg MODULE", name).isNotBlank();
            assertThat(mainClass).as("%s: build arg MAIN_CLASS", name).isNotBlank();

            Class<?> main = Class.forName(mainClass);
            assertThat(main).as("%s runs %s", name, e.getValue().getName()).isEqualTo(e.getValue());
            Method m = main.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(m.getModifiers())).as("%s.main is static", mainClass).isTrue();
            assertThat(root.resolve(module).resolve("pom.xml")).as("module %s", module).isRegularFile();
            assertThat(root.resolve(module).resolve("src/main/java")
                    .resolve(mainClass.replace('.', '/') + ".java"))
                    .as("%s is a class of module %s (its classes are the image's app/classes)", mainClass, module)
                    .isRegularFile();

            Dockerfile d = dockerfile(name);
            Stage buildStage = d.stages().get(0);
            assertThat(buildStage.from()).as("build stage of %s", d.path()).isEqualTo("maven:3.9-eclipse-temurin-17");
            String mvn = buildStage.runs().stream().filter(r -> r.contains("./mvnw")).findFirst()
                    .orElseThrow(() -> new AssertionError(d.path() + ": the build stage runs no ./mvnw"));
            assertThat(mvn).contains("-B", "-ntp", "-DskipTests", "-am", " package", "dependency:copy-dependencies",
                    "-DincludeScope=runtime");
            Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(mvn);
            assertThat(pl.find()).as("%s: ./mvnw -pl <modules>", d.path()).isTrue();
            assertThat(List.of(pl.group(1).split(","))).as("modules the build stage builds").contains(module);

            Stage runtime = d.stage(string(b.get("target"))).orElse(d.stages().get(d.stages().size() - 1));
            assertThat(runtime.from()).as("%s runtime image", name).startsWith("eclipse-temurin:17-");
            assertThat(runtime.args()).as("%s: ARGs of stage %s", name, runtime.name())
                    .contains("MODULE", "MAIN_CLASS");
            assertThat(runtime.copies()).as("%s: copies the module's classes and runtime dependencies", name)
                    .anySatisfy(c -> assertThat(c).contains("--from=" + buildStage.name(),
                            "${MODULE}/target/classes", "app/classes"))
                    .anySatisfy(c -> assertThat(c).contains("--from=" + buildStage.name(),
                            "${MODULE}/target/dependency", "app/lib"));
            String cmd = runtime.cmd().orElseThrow(() -> new AssertionError(name + ": no CMD"));
            assertThat(cmd).as("%s CMD", name).contains("java", "-cp 'app/classes:app/lib/*'");
            String mainVar = runtime.envs().entrySet().stream()
                    .filter(x -> x.getValue().equals("${MAIN_CLASS}") || x.getValue().equals("$MAIN_CLASS"))
                    .map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new AssertionError(name + ": no ENV <name>=${MAIN_CLASS}"));
            assertThat(cmd).as("%s CMD runs the main class", name).contains("$" + mainVar);
            if (!name.equals(EXECUTOR)) {
                assertThat(runtime.from()).as("%s runs on a JRE", name).isEqualTo("eclipse-temurin:17-jre");
            }
        }
    }

    @Test
    void theExecutorImageCanRunTheExamplePipelines() throws IOException {
        Stage stage = dockerfile(EXECUTOR).stage(string(build(EXECUTOR).get("target")))
                .orElseThrow(() -> new AssertionError("the executor's build target is not a stage"));
        // the example pipelines run single-file Java programs with the source launcher, which needs a JDK
        List<String> commands = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve("examples"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Object tasks = map(new Yaml().load(Files.readString(f)), f.toString()).get("tasks");
                for (Object t : (List<?>) tasks) {
                    Optional.ofNullable(string(map(t, f + " task").get("command"))).ifPresent(commands::add);
                }
            }
        }
        assertThat(commands).as("example commands").anyMatch(c -> c.matches("(?s)java .*examples/ml/\\S+\\.java.*"));
        assertThat(stage.from()).as("the executor needs a JDK").isEqualTo("eclipse-temurin:17-jdk");
        assertThat(stage.copies()).as("the executor image holds examples/")
                .anySatisfy(c -> assertThat(c).matches("COPY\\s+examples/?\\s+\\S*examples/?"));
        // relative commands (examples/ml/...) resolve against the executor's work-dir: it must hold examples/
        String workDirEnv = envName(property(ExecutorConfig.class, "WorkDir"));
        assertThat(environment(EXECUTOR)).as("executor environment").containsKey(workDirEnv);
        String workDir = environment(EXECUTOR).get(workDirEnv);
        assertThat(stage.workdir()).as("WORKDIR of the executor image").contains(workDir);
        for (String c : commands) {
            Matcher m = Pattern.compile("(examples/\\S+\\.java)").matcher(c);
            while (m.find()) {
                assertThat(root.resolve(m.group(1))).as("file used by an example command").isRegularFile();
            }
        }
    }

    @Test
    void dockerignoreLeavesOutBuildOutputLocalDataAndGit() throws IOException {
        Path f = root.resolve(".dockerignore");
        assertThat(f).isRegularFile();
        Set<String> lines = Files.readAllLines(f).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toSet());
        assertThat(lines).anyMatch(l -> l.equals("**/target") || l.equals("**/target/"));
        assertThat(lines).anyMatch(l -> l.equals(".drover") || l.equals(".drover/") || l.equals("**/.drover"));
        assertThat(lines).anyMatch(l -> l.equals(".git") || l.equals(".git/"));
        // the build needs the wrapper, every module's pom (Maven reads the whole reactor) and the examples
        assertThat(lines).noneMatch(l -> l.matches("\\.?/?(mvnw|\\.mvn|examples|pom\\.xml|\\*\\*/pom\\.xml|\\*)/?"));
    }

    // -------------------------------------------------------------------------------------------- configuration

    @Test
    void everySettingADroverServiceNeedsIsSetAndEveryDroverVariableIsASetting() throws Exception {
        for (var e : DROVER_SERVICES.entrySet()) {
            String name = e.getKey();
            ServiceSettings settings = settings(e.getValue());
            Map<String, String> env = environment(name);
            for (String p : settings.required()) {
                assertThat(env).as("%s must set %s (%s)", name, envName(p), p).containsKey(envName(p));
                assertThat(env.get(envName(p))).as("%s %s", name, envName(p)).isNotBlank();
            }
            Map<String, Setting> byEnv = new HashMap<>();
            settings.all().values().forEach(s -> byEnv.put(envName(s.property()), s));
            for (var v : env.entrySet()) {
                if (!v.getKey().startsWith("DROVER_")) {
                    continue;
                }
                Setting s = byEnv.get(v.getKey());
                assertThat(s).as("%s: %s is none of the service's settings %s", name, v.getKey(),
                        new TreeMap<>(byEnv).keySet()).isNotNull();
                s.check(name, v.getKey(), v.getValue());
            }
        }
    }

    @Test
    void everyDroverServiceReachesKafkaThroughTheBrokersInternalListener() throws Exception {
        Listener internal = internalListener();
        String bootstrapEnv = envName(property(KafkaSettings.class, "BootstrapServers"));
        for (String name : DROVER_SERVICES.keySet()) {
            assertThat(environment(name)).as("%s environment", name).containsKey(bootstrapEnv);
            assertThat(environment(name).get(bootstrapEnv)).as("%s %s", name, bootstrapEnv)
                    .isEqualTo(internal.host() + ":" + internal.port());
        }
    }

    @Test
    void topicsDroverCreatesFitTheBrokers() throws Exception {
        long brokers = services.values().stream()
                .filter(s -> string(s.get("image")) != null && string(s.get("image")).startsWith("apache/kafka:"))
                .filter(s -> brokerProperties(s).getProperty("process.roles", "").contains("broker")).count();
        assertThat(brokers).isEqualTo(1);
        String rfEnv = envName(property(KafkaSettings.class, "ReplicationFactor"));
        for (String name : DROVER_SERVICES.keySet()) {
            int rf = Optional.ofNullable(environment(name).get(rfEnv)).map(Integer::parseInt)
                    .orElse((int) new KafkaSettings().getReplicationFactor());
            assertThat(rf).as("%s: replication factor of the topics it creates", name).isBetween(1, (int) brokers);
        }
    }

    @Test
    void theSchedulerUsesThePostgresServicesDatabase() throws Exception {
        Map<String, String> pg = environment(POSTGRES);
        assertThat(pg).containsKeys("POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD");
        int pgPort = Integer.parseInt(pg.getOrDefault("PGPORT", "5432"));
        boolean someDatasource = false;
        for (var e : DROVER_SERVICES.entrySet()) {
            Map<String, Object> defaults = defaults(e.getValue());
            Map<String, String> env = environment(e.getKey());
            for (String ds : datasources(defaults)) {
                someDatasource = true;
                String name = e.getKey();
                String url = valueOf(defaults, env, "datasources." + ds + ".url");
                String user = valueOf(defaults, env, "datasources." + ds + ".username");
                String password = valueOf(defaults, env, "datasources." + ds + ".password");
                assertThat(url).as("%s datasource %s url", name, ds).startsWith("jdbc:postgresql://");
                URI uri = URI.create(url.substring("jdbc:".length()));
                assertThat(uri.getHost()).as("%s: database host", name).isEqualTo(POSTGRES);
                assertThat(uri.getPort() == -1 ? 5432 : uri.getPort()).as("%s: database port", name).isEqualTo(pgPort);
                assertThat(uri.getPath()).as("%s: database", name).isEqualTo("/" + pg.get("POSTGRES_DB"));
                assertThat(user).as("%s: database user", name).isEqualTo(pg.get("POSTGRES_USER"));
                assertThat(password).as("%s: database password", name).isEqualTo(pg.get("POSTGRES_PASSWORD"));
                // keep the connection options of the built-in default (e.g. currentSchema)
                String defaultUrl = placeholders(string(defaults.get("datasources." + ds + ".url"))).get(0)
                        .defaultValue();
                String defaultQuery = URI.create(defaultUrl.substring("jdbc:".length())).getQuery();
                if (defaultQuery != null) {
                    assertThat(uri.getQuery()).as("%s: connection options", name).isEqualTo(defaultQuery);
                }
                assertThat(dependsOn(name)).as("%s depends on postgres", name)
                        .containsEntry(POSTGRES, "service_healthy");
            }
        }
        assertThat(someDatasource).as("the scheduler declares a datasource in defaults()").isTrue();
    }

    // ------------------------------------------------------------------------------------------------------ Kafka

    @Test
    void theBrokerIsASingleNodeKraftBrokerAndControllerThatKafkaAccepts() throws Exception {
        Map<String, Object> kafka = services.get(KAFKA);
        Properties props = brokerProperties(kafka);
        KafkaConfig config;
        try {
            config = KafkaConfig.fromProps(props, false);
        } catch (RuntimeException e) {
            throw new AssertionError("Kafka " + AppInfoParser.getVersion() + " rejects the broker configuration "
                    + props + ": " + e, e);
        }
        assertThat(props.getProperty("process.roles").split("\\s*,\\s*")).containsExactlyInAnyOrder("broker",
                "controller");
        assertThat(config.brokerId()).isEqualTo(config.nodeId());

        // one node holds the only replica of every internal topic
        for (String rf : List.of(GroupCoordinatorConfig.OFFSETS_TOPIC_REPLICATION_FACTOR_CONFIG,
                TransactionLogConfig.TRANSACTIONS_TOPIC_REPLICATION_FACTOR_CONFIG,
                ShareCoordinatorConfig.STATE_TOPIC_REPLICATION_FACTOR_CONFIG,
                TransactionLogConfig.TRANSACTIONS_TOPIC_MIN_ISR_CONFIG,
                ShareCoordinatorConfig.STATE_TOPIC_MIN_ISR_CONFIG)) {
            assertThat(props.getProperty(rf)).as(rf).isEqualTo("1");
        }
        assertThat(props.getProperty(GroupCoordinatorConfig.GROUP_INITIAL_REBALANCE_DELAY_MS_CONFIG)).isEqualTo("0");
        // executors (share-group members) get work within a second of joining
        assertThat(props.getProperty(GroupCoordinatorConfig.SHARE_GROUP_HEARTBEAT_INTERVAL_MS_CONFIG))
                .isEqualTo("1000");
        // KafkaConfig resolved every name: a misspelt one would have been ignored by the broker, so refuse it here
        Set<String> known = new HashSet<>(KafkaConfig.configDef().names());
        assertThat(props.stringPropertyNames()).as("broker config names (from KAFKA_* variables)")
                .allSatisfy(n -> assertThat(known).as("known broker configs").contains(n));

        Map<String, String> env = environment(KAFKA);
        if (env.containsKey("CLUSTER_ID")) {
            Uuid.fromString(env.get("CLUSTER_ID")); // throws unless a base64 UUID, as kafka-storage.sh format needs
        }
        // the data lives on a volume
        String logDirs = props.getProperty("log.dirs", props.getProperty("log.dir"));
        assertThat(logDirs).as("log.dirs").isNotBlank();
        for (String dir : logDirs.split(",")) {
            assertThat(volumeTargets(KAFKA)).as("kafka volumes").anyMatch(t -> dir.equals(t)
                    || dir.startsWith(t + "/"));
        }
    }

    // ----------------------------------------------------------------------------------- ports and health checks

    @Test
    void eachRestPortIsTheServicesConfiguredPortAndHostPortsDoNotCollide() throws Exception {
        Map<Integer, String> hostPorts = new HashMap<>();
        for (var e : services.entrySet()) {
            for (PortMapping p : ports(e.getKey())) {
                if (p.published() != null) {
                    String before = hostPorts.put(p.published(), e.getKey());
                    assertThat(before).as("host port %d of %s is also taken by %s", p.published(), e.getKey(),
                            before).isNull();
                }
            }
        }
        for (var e : DROVER_SERVICES.entrySet()) {
            String name = e.getKey();
            int port = configuredPort(name, e.getValue());
            List<PortMapping> ports = ports(name);
            assertThat(ports).as("%s publishes its REST port %d", name, port)
                    .anySatisfy(p -> assertThat(p.target()).isEqualTo(port));
            assertThat(ports).as("%s publishes only its REST port", name)
                    .allSatisfy(p -> assertThat(p.target()).isEqualTo(port));
        }
    }

    @Test
    void everyServiceHasAHealthCheckAndDroverServicesCheckTheirHealthEndpoint() throws Exception {
        for (String name : services.keySet()) {
            Map<String, Object> h = map(services.get(name).get("healthcheck"), name + ".healthcheck");
            assertThat(h.get("disable")).as("%s healthcheck disabled", name).isNotEqualTo(Boolean.TRUE);
            assertThat(healthTest(name)).as("%s healthcheck test", name).isNotBlank()
                    .doesNotStartWith("NONE");
        }
        for (var e : DROVER_SERVICES.entrySet()) {
            int port = configuredPort(e.getKey(), e.getValue());
            assertThat(healthTest(e.getKey())).as("%s healthcheck", e.getKey())
                    .containsPattern("http://(localhost|127\\.0\\.0\\.1):" + port + "/health\\b");
        }
        Set<Integer> brokerPorts = new HashSet<>();
        CollectionConverters.asJava(KafkaConfig.fromProps(brokerProperties(services.get(KAFKA)), false).listeners())
                .forEach(l -> brokerPorts.add(l.port()));
        assertThat(healthTest(KAFKA)).as("kafka healthcheck asks the broker")
                .containsPattern("--bootstrap-server\\s+\\S+:(" + brokerPorts.stream().map(String::valueOf)
                        .collect(Collectors.joining("|")) + ")\\b");
        Map<String, String> pg = environment(POSTGRES);
        assertThat(healthTest(POSTGRES)).contains("pg_isready", pg.get("POSTGRES_USER"));
    }

    @Test
    void dependenciesWaitForHealthyServices() {
        for (String name : services.keySet()) {
            Object raw = services.get(name).get("depends_on");
            if (raw == null) {
                continue;
            }
            assertThat(raw).as("%s depends_on must be the long form with conditions", name).isInstanceOf(Map.class);
            for (var d : dependsOn(name).entrySet()) {
                assertThat(services).as("%s depends on %s", name, d.getKey()).containsKey(d.getKey());
                assertThat(d.getValue()).as("%s -> %s condition", name, d.getKey())
                        .isIn("service_healthy", "service_started", "service_completed_successfully");
                if (d.getValue().equals("service_healthy")) {
                    assertThat(services.get(d.getKey())).as("%s has a healthcheck", d.getKey())
                            .containsKey("healthcheck");
                }
            }
        }
        for (String name : DROVER_SERVICES.keySet()) {
            assertThat(dependsOn(name)).as("%s waits for a healthy broker", name)
                    .containsEntry(KAFKA, "service_healthy");
        }
    }

    // --------------------------------------------------------------------------------------------------- executor

    @Test
    void theExecutorScalesAndItsReplicasShareRunDirectories() throws Exception {
        Map<String, Object> ex = services.get(EXECUTOR);
        assertThat(ex).as("a scalable service has no fixed container name or host name")
                .doesNotContainKeys("container_name", "hostname");
        assertThat(ports(EXECUTOR)).as("replicas cannot share a fixed host port")
                .allSatisfy(p -> assertThat(p.published()).isNull());

        String runRootEnv = envName(property(ExecutorConfig.class, "RunRoot"));
        String runRoot = environment(EXECUTOR).get(runRootEnv);
        assertThat(runRoot).as("executor %s", runRootEnv).isNotBlank().startsWith("/");
        Set<String> named = Optional.ofNullable(compose.get("volumes")).map(v -> map(v, "volumes").keySet())
                .orElse(Set.of());
        List<String> volumes = volumeSpecs(EXECUTOR);
        assertThat(volumes).as("the run root %s is on a named volume every replica mounts", runRoot)
                .anySatisfy(v -> {
                    String[] parts = v.split(":");
                    assertThat(named).contains(parts[0]);
                    assertThat(runRoot.equals(parts[1]) || runRoot.startsWith(parts[1] + "/")).isTrue();
                });
    }

    // ======================================================================================== what the code says

    /** A setting of a service: its property name, type and default. */
    record Setting(String property, Class<?> type, Object defaultValue, String origin) {
        void check(String service, String env, String value) {
            String what = service + " " + env + "=" + value + " (" + origin + ")";
            try {
                if (type == int.class || type == Integer.class) {
                    Integer.parseInt(value);
                } else if (type == long.class || type == Long.class) {
                    Long.parseLong(value);
                } else if (type == short.class || type == Short.class) {
                    Short.parseShort(value);
                } else if (type == boolean.class || type == Boolean.class) {
                    assertThat(value).as(what).isIn("true", "false");
                } else if (type == Duration.class) {
                    assertThat(value.matches("\\d+(ns|ms|s|m|h|d)") || parsesAsIsoDuration(value)).as(what)
                            .isTrue();
                } else {
                    assertThat(value).as(what).isNotBlank();
                }
            } catch (NumberFormatException e) {
                fail(what + " is not a " + type.getSimpleName());
            }
        }

        private static boolean parsesAsIsoDuration(String v) {
            try {
                Duration.parse(v);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        /** Points at this machine: wrong inside a container. */
        boolean defaultIsLocal() {
            return defaultValue instanceof String s && (s.contains("localhost") || s.contains("127.0.0.1"));
        }
    }

    record ServiceSettings(Map<String, Setting> all, Set<String> required) {
    }

    /** Everything a service reads, from its main class, its defaults() and its configuration classes. */
    private static ServiceSettings settings(Class<?> main) throws Exception {
        Map<String, Setting> all = new LinkedHashMap<>();
        Set<String> required = new LinkedHashSet<>();
        String port = portPlaceholder(main).group(1);
        all.put(port, new Setting(port, int.class, null, main.getSimpleName() + " main"));
        for (Object v : defaults(main).values()) {
            if (v instanceof String s) {
                for (Placeholder p : placeholders(s)) {
                    all.put(p.property(), new Setting(p.property(), String.class, p.defaultValue(),
                            main.getSimpleName() + ".defaults()"));
                    required.add(p.property());
                }
            }
        }
        List<Class<?>> configs = new ArrayList<>(configurationClasses(main, main.getPackageName()));
        // the shared platform's (Kafka settings): every service has them
        configs.addAll(configurationClasses(KafkaSettings.class, "dev.drover.platform"));
        for (Class<?> c : configs) {
            for (Setting s : configSettings(c)) {
                all.putIfAbsent(s.property(), s);
                if (s.defaultIsLocal()) {
                    required.add(s.property());
                }
            }
        }
        assertThat(required).as("%s needs at least the Kafka bootstrap servers", main.getSimpleName())
                .contains(property(KafkaSettings.class, "BootstrapServers"));
        return new ServiceSettings(all, required);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> defaults(Class<?> main) throws Exception {
        return (Map<String, Object>) main.getMethod("defaults").invoke(null);
    }

    /** The {@code ${drover.x.port:NNNN}} setting compiled into the main class (read from its class file). */
    private static Matcher portPlaceholder(Class<?> main) throws IOException {
        String resource = "/" + main.getName().replace('.', '/') + ".class";
        try (InputStream in = main.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            Matcher m = PORT_PLACEHOLDER.matcher(text);
            assertThat(m.find()).as("%s sets micronaut.server.port from a ${drover.*.port:default} setting",
                    main.getName()).isTrue();
            return m;
        }
    }

    /** The REST port a service listens on in its container: its port setting from the file, else the default. */
    private static int configuredPort(String service, Class<?> main) throws IOException {
        Matcher m = portPlaceholder(main);
        return Integer.parseInt(environment(service).getOrDefault(envName(m.group(1)), m.group(2)));
    }

    record Placeholder(String property, String defaultValue) {
    }

    /** {@code ${name}} and {@code ${name:default}} (a default may be quoted in backticks and contain ':'). */
    private static List<Placeholder> placeholders(String value) {
        List<Placeholder> out = new ArrayList<>();
        int i = 0;
        while ((i = value.indexOf("${", i)) >= 0) {
            int end = value.indexOf('}', i);
            int tick = value.indexOf('`', i);
            if (tick >= 0 && tick < end) {
                end = value.indexOf('}', value.indexOf('`', tick + 1));
            }
            String body = value.substring(i + 2, end);
            int colon = body.indexOf(':');
            String name = colon < 0 ? body : body.substring(0, colon);
            String def = colon < 0 ? null : body.substring(colon + 1).replace("`", "");
            out.add(new Placeholder(name, def));
            i = end + 1;
        }
        return out;
    }

    /** Datasource names configured in a defaults() map ({@code datasources.<name>.url}). */
    private static Set<String> datasources(Map<String, Object> defaults) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : defaults.keySet()) {
            Matcher m = Pattern.compile("datasources\\.([^.]+)\\.url").matcher(k);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    /** What a defaults() entry resolves to in the container: the file's value for its setting, else its default. */
    private static String valueOf(Map<String, Object> defaults, Map<String, String> env, String key) {
        String raw = string(defaults.get(key));
        assertThat(raw).as("defaults() has %s", key).isNotNull();
        List<Placeholder> ps = placeholders(raw);
        if (ps.isEmpty()) {
            return raw;
        }
        Placeholder p = ps.get(0);
        return env.getOrDefault(envName(p.property()), p.defaultValue());
    }

    /** {@code @ConfigurationProperties} classes in a package (and below) of the jar or folder holding anchor. */
    private static List<Class<?>> configurationClasses(Class<?> anchor, String packageName) throws Exception {
        String pkg = packageName.replace('.', '/') + "/";
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location.resolve(pkg))) {
                files.map(p -> location.relativize(p).toString().replace('\\', '/')).forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                    String n = en.nextElement().getName();
                    if (n.startsWith(pkg)) {
                        names.add(n);
                    }
                }
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (!n.endsWith(".class") || n.contains("$")) {
                continue;
            }
            Class<?> c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false,
                    anchor.getClassLoader());
            if (c.isAnnotationPresent(ConfigurationProperties.class)) {
                out.add(c);
            }
        }
        return out;
    }

    /** One setting per setter of a {@code @ConfigurationProperties} class, with the default a new instance has. */
    private static List<Setting> configSettings(Class<?> c) {
        String prefix = c.getAnnotation(ConfigurationProperties.class).value();
        Object instance = null;
        try {
            Constructor<?> ctor = c.getDeclaredConstructor();
            ctor.setAccessible(true);
            instance = ctor.newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            // no defaults to read: the names are still settings
        }
        List<Setting> out = new ArrayList<>();
        for (Method m : c.getMethods()) {
            if (!m.getName().startsWith("set") || m.getParameterCount() != 1 || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            String bean = m.getName().substring(3);
            Object def = null;
            if (instance != null) {
                for (String getter : List.of("get" + bean, "is" + bean)) {
                    try {
                        def = c.getMethod(getter).invoke(instance);
                        break;
                    } catch (ReflectiveOperationException | RuntimeException ignored) {
                        // try the next form
                    }
                }
            }
            out.add(new Setting(prefix + "." + kebab(bean), m.getParameterTypes()[0], def, c.getSimpleName()));
        }
        return out;
    }

    /** The property of a configuration class's bean property, e.g. (KafkaSettings, BootstrapServers). */
    private static String property(Class<?> config, String beanProperty) {
        boolean hasSetter = Stream.of(config.getMethods())
                .anyMatch(m -> m.getName().equals("set" + beanProperty) && m.getParameterCount() == 1);
        assertThat(hasSetter).as("%s has a setting %s", config.getSimpleName(), beanProperty).isTrue();
        return config.getAnnotation(ConfigurationProperties.class).value() + "." + kebab(beanProperty);
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable Micronaut maps to a property: drover.kafka.bootstrap-servers -> DROVER_KAFKA_... */
    private static String envName(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    // ========================================================================================= what the file says

    private static Map<String, String> environment(String service) {
        Object raw = services.get(service).get("environment");
        Map<String, String> out = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
        } else if (raw instanceof List<?> l) {
            for (Object o : l) {
                String s = String.valueOf(o);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? null : s.substring(eq + 1));
            }
        }
        return out;
    }

    /** Broker properties from a service's KAFKA_* variables, converted as the apache/kafka image does. */
    private static Properties brokerProperties(Map<String, Object> kafkaService) {
        String name = services.entrySet().stream().filter(e -> e.getValue() == kafkaService).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        Properties props = new Properties();
        for (var e : environment(name).entrySet()) {
            if (!e.getKey().startsWith("KAFKA_") || KAFKA_IMAGE_VARIABLES.contains(e.getKey())) {
                continue;
            }
            props.setProperty(brokerConfigName(e.getKey()), e.getValue());
        }
        return props;
    }

    /** KAFKA_ABC_DEF -> abc.def, KAFKA_ABC__DEF -> abc_def, KAFKA_ABC___DEF -> abc-def (the image's rule). */
    static String brokerConfigName(String env) {
        String s = env.substring("KAFKA_".length());
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("___", i)) {
                out.append('-');
                i += 3;
            } else if (s.startsWith("__", i)) {
                out.append('_');
                i += 2;
            } else if (s.charAt(i) == '_') {
                out.append('.');
                i += 1;
            } else {
                out.append(Character.toLowerCase(s.charAt(i)));
                i += 1;
            }
        }
        return out.toString();
    }

    record Listener(String name, String host, int port) {
    }

    /** The broker's advertised listener other containers reach it by: its host is the Kafka service's name. */
    private static Listener internalListener() {
        Map<String, Object> kafka = services.get(KAFKA);
        Properties props = brokerProperties(kafka);
        Set<String> hosts = new HashSet<>(Set.of(KAFKA));
        Optional.ofNullable(string(kafka.get("hostname"))).ifPresent(hosts::add);
        List<Listener> advertised = listeners(props.getProperty("advertised.listeners"));
        List<Listener> internal = advertised.stream().filter(l -> hosts.contains(l.host())).toList();
        assertThat(internal).as("exactly one advertised listener of %s on host %s", advertised, hosts).hasSize(1);
        Listener l = internal.get(0);
        List<Listener> bound = listeners(props.getProperty("listeners"));
        assertThat(bound).as("listeners").anySatisfy(b -> {
            assertThat(b.name()).isEqualTo(l.name());
            assertThat(b.port()).isEqualTo(l.port());
        });
        assertThat(Set.of(props.getProperty("controller.listener.names", "").split(",")))
                .as("the internal listener is a client listener, not the controller's").doesNotContain(l.name());
        return l;
    }

    private static List<Listener> listeners(String value) {
        assertThat(value).as("listener list").isNotBlank();
        List<Listener> out = new ArrayList<>();
        for (String l : value.split("\\s*,\\s*")) {
            Matcher m = Pattern.compile("([A-Za-z0-9_-]+)://([^:]*):(\\d+)").matcher(l);
            assertThat(m.matches()).as("listener %s", l).isTrue();
            out.add(new Listener(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
        }
        return out;
    }

    record PortMapping(Integer published, int target) {
    }

    private static List<PortMapping> ports(String service) {
        Object raw = services.get(service).get("ports");
        List<PortMapping> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (Object o : (List<?>) raw) {
            if (o instanceof Map<?, ?> m) {
                Object published = m.get("published");
                out.add(new PortMapping(published == null ? null : Integer.valueOf(String.valueOf(published)),
                        Integer.parseInt(String.valueOf(m.get("target")))));
            } else {
                String s = String.valueOf(o).replaceAll("/(tcp|udp)$", "");
                String[] parts = s.split(":");
                assertThat(s).as("%s port %s (ranges are not used here)", service, s).doesNotContain("-");
                int target = Integer.parseInt(parts[parts.length - 1]);
                Integer published = parts.length >= 2 && !parts[parts.length - 2].isEmpty()
                        ? Integer.valueOf(parts[parts.length - 2]) : null;
                out.add(new PortMapping(published, target));
            }
        }
        return out;
    }

    private static String healthTest(String service) {
        Map<String, Object> h = map(services.get(service).get("healthcheck"), service + ".healthcheck");
        Object test = h.get("test");
        if (test instanceof List<?> l) {
            return l.stream().map(String::valueOf).collect(Collectors.joining(" "))
                    .replaceFirst("^CMD(-SHELL)? ", "");
        }
        return test == null ? "" : String.valueOf(test);
    }

    /** depends_on of a service: dependency -> condition (the short list form has no conditions). */
    private static Map<String, String> dependsOn(String service) {
        Object raw = services.get(service).get("depends_on");
        Map<String, String> out = new LinkedHashMap<>();
        if (raw instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k),
                    v instanceof Map<?, ?> c ? string(c.get("condition")) : null));
        } else if (raw instanceof List<?> l) {
            l.forEach(x -> out.put(String.valueOf(x), null));
        }
        return out;
    }

    private static List<String> volumeSpecs(String service) {
        Object raw = services.get(service).get("volumes");
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m.get("source") + ":" + m.get("target"));
                } else {
                    out.add(String.valueOf(o));
                }
            }
        }
        return out;
    }

    private static List<String> volumeTargets(String service) {
        return volumeSpecs(service).stream().map(v -> v.split(":")).filter(p -> p.length >= 2).map(p -> p[1])
                .toList();
    }

    private static Map<String, Object> build(String service) {
        Object b = services.get(service).get("build");
        assertThat(b).as("%s has a build", service).isInstanceOf(Map.class);
        return map(b, service + ".build");
    }

    private static Dockerfile dockerfile(String service) throws IOException {
        Map<String, Object> b = build(service);
        Path context = root.resolve(Optional.ofNullable(string(b.get("context"))).orElse(".")).normalize();
        assertThat(context).as("%s build context", service).isDirectory();
        Path file = context.resolve(Optional.ofNullable(string(b.get("dockerfile"))).orElse("Dockerfile"))
                .normalize();
        assertThat(file).as("%s Dockerfile", service).isRegularFile();
        return Dockerfile.parse(file);
    }

    // ========================================================================================== Dockerfile model

    record Stage(String from, String name, List<String> instructions) {
        List<String> args() {
            return instructions.stream().filter(i -> i.startsWith("ARG ")).map(i -> i.substring(4).split("=")[0].trim())
                    .toList();
        }

        List<String> runs() {
            return instructions.stream().filter(i -> i.startsWith("RUN ")).toList();
        }

        List<String> copies() {
            return instructions.stream().filter(i -> i.startsWith("COPY ")).toList();
        }

        Map<String, String> envs() {
            Map<String, String> out = new LinkedHashMap<>();
            instructions.stream().filter(i -> i.startsWith("ENV ")).forEach(i -> {
                Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)").matcher(i.substring(4));
                while (m.find()) {
                    out.put(m.group(1), m.group(2).replace("\"", ""));
                }
            });
            return out;
        }

        Optional<String> workdir() {
            return instructions.stream().filter(i -> i.startsWith("WORKDIR ")).reduce((a, b) -> b)
                    .map(i -> i.substring(8).trim());
        }

        Optional<String> cmd() {
            return instructions.stream().filter(i -> i.startsWith("CMD ") || i.startsWith("ENTRYPOINT "))
                    .reduce((a, b) -> b);
        }
    }

    record Dockerfile(Path path, List<Stage> stages) {
        Optional<Stage> stage(String name) {
            return stages.stream().filter(s -> name != null && name.equals(s.name())).findFirst();
        }

        /** Instructions joined across line continuations, comments dropped, split into FROM stages. */
        static Dockerfile parse(Path file) throws IOException {
            List<String> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String line : Files.readAllLines(file)) {
                String t = line.trim();
                if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) {
                    continue;
                }
                boolean continues = t.endsWith("\\");
                current.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
                if (!continues) {
                    instructions.add(current.toString().trim().replaceAll("\\s+", " "));
                    current.setLength(0);
                }
            }
            List<Stage> stages = new ArrayList<>();
            for (String i : instructions) {
                Matcher m = Pattern.compile("(?i)FROM\\s+(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?")
                        .matcher(i);
                if (m.matches()) {
                    stages.add(new Stage(m.group(1), m.group(2), new ArrayList<>()));
                } else if (!stages.isEmpty()) {
                    stages.get(stages.size() - 1).instructions().add(i);
                }
            }
            assertThat(stages).as("stages of %s", file).isNotEmpty();
            return new Dockerfile(file, stages);
        }
    }

    // ================================================================================================== helpers

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("system-tests")))) {
            p = p.getParent();
        }
        assertThat(p).as("repository root above %s", Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String what) {
        assertThat(o).as("%s is a mapping", what).isInstanceOf(Map.class);
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) o).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static Map<String, Class<?>> linked(Object... kv) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Class<?>) kv[i + 1]);
        }
        return m;
    }
}
