package dev.drover.standalone.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drover.standalone.DroverClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web UI in a real browser (Debian's chromium, driven by its chromedriver through Selenium WebDriver), against the
 * whole running system: sign in, trigger a run from the parameter form, watch it change live without a reload,
 * follow a task's log while it is written, clear a failed task and watch it rerun, and a viewer who sees no action.
 * Screenshots of each page go to {@code target/ui-screenshots/} (docs/ui.md shows them).
 *
 * <p>No skipping: without chromium and chromedriver the test fails and says how to install them ({@code .ci/run}
 * does).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiBrowserTest {
    private static final Path SHOTS = Path.of("target", "ui-screenshots");
    @TempDir
    static Path dataDir;
    static UiFixture system;
    static WebDriver browser;
    static String runId;

    @BeforeAll
    static void start() throws IOException {
        system = new UiFixture(dataDir);
        browser = chromium();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    static WebDriver chromium() {
        Path chromium = firstExisting("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        Path driver = firstExisting("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || driver == null) {
            throw new AssertionError("the browser tests need chromium and its chromedriver: "
                    + "apt-get install chromium chromium-driver (.ci/run installs them)");
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=1400,1000", "--force-prefers-reduced-motion");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                .usingAnyFreePort().build();
        WebDriver d = new ChromeDriver(service, options);
        d.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return d;
    }

    private static Path firstExisting(String... paths) {
        for (String p : paths) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void signingInLeadsBackToThePageAskedFor() {
        browser.get(system.baseUrl() + "/ui/pipelines/ui-demo");
        assertThat(browser.getCurrentUrl()).contains("/ui/sign-in");
        shot("sign-in");
        signIn("otto", "wrong password here");
        assertThat(text("#sign-in-error")).contains("do not match");
        signIn("otto", UiFixture.PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/ui/pipelines/ui-demo");
        assertThat(text("#signed-in-as")).isEqualTo("otto");
        assertThat(browser.findElements(By.cssSelector("svg.graph .node"))).hasSize(3);
    }

    @Test
    @Order(2)
    void aRunTriggeredFromTheFormIsWatchedLiveAndItsLogFollowed() {
        browser.get(system.baseUrl() + "/ui/pipelines");
        assertThat(browser.findElement(By.cssSelector("tr[data-pipeline='ui-demo']")).getText()).contains("ui-demo");
        shot("pipelines");
        browser.findElement(By.linkText("ui-demo")).click();
        browser.findElement(By.id("trigger")).click();
        WebElement count = browser.findElement(By.id("p-count"));
        count.clear();
        count.sendKeys("2.5");
        assertThat((Boolean) js("return document.getElementById('p-count').checkValidity()"))
                .as("a whole-number parameter refuses 2.5 in the browser").isFalse();
        count.clear();
        count.sendKeys("8");
        WebElement greeting = browser.findElement(By.id("p-greeting"));
        greeting.clear();
        greeting.sendKeys("hi from the browser");
        shot("trigger");
        browser.findElement(By.id("start-run")).click();
        awaitPage("run-page", 20, () -> browser.getCurrentUrl().contains("/ui/runs/ui-demo."));
        String url = browser.getCurrentUrl();
        runId = url.substring(url.indexOf("/ui/runs/") + 9, url.contains("?") ? url.indexOf('?') : url.length());
        assertThat(runId).matches("ui-demo\\.\\d+");
        JsonNode run = system.admin.run(runId).body();
        assertThat(run.path("parameters").path("count").asLong()).isEqualTo(8);
        assertThat(run.path("parameters").path("greeting").asText()).isEqualTo("hi from the browser");

        // the attempt's log, followed while extract writes it (one line every 0.4 s)
        awaitPage("extract-attempt-link", 30, () ->
                !browser.findElements(By.cssSelector("#task-extract a.attempt-link")).isEmpty());
        click("#task-extract a.attempt-link");
        markPage();
        awaitPage("log-line-8", 30, () -> text("#log-lines").contains("hi from the browser line 8"));
        assertThat(pageNotReloaded()).as("lines arrived without a reload").isTrue();
        awaitPage("attempt-succeeded", 20, () -> text("#attempt-state").contains("succeeded"));
        // the task's 8 lines once each (after the executor's own line saying it started the process)
        assertThat(browser.findElements(By.cssSelector("#log-lines .line")).stream()
                .filter(l -> l.getText().contains("hi from the browser line")).count()).as(text("#log-lines"))
                .isEqualTo(8);
        shot("task-log");

        // the run page changes as the run does: transform fails on its first try
        browser.get(system.baseUrl() + "/ui/runs/" + runId);
        markPage();
        awaitPage("run-failed", 60, () -> "FAILED".equals(state("#run-state")));
        assertThat(pageNotReloaded()).isTrue();
        assertThat(state("#task-transform .task-state")).isEqualTo("FAILED");
        assertThat(state("#task-load .task-state")).isEqualTo("UPSTREAM_FAILED");
        assertThat(text("#history")).contains("TaskFailed");
    }

    @Test
    @Order(3)
    void clearingTheFailedTaskRerunsItAndTheRunGoesGreenLive() {
        // still on the run's page, which went red live
        assertThat(browser.getCurrentUrl()).contains("/ui/runs/" + runId);
        awaitPage("transform-failed", 30, () -> "FAILED".equals(state("#task-transform .task-state")));
        click("#task-transform input[name=downstream]");
        // the confirmation says what will run again; the person says yes (a modal dialog would block the driver)
        js("window.confirm = function (message) { window.__confirmed = message; return true; };");
        click("#task-transform button.clear-task");
        awaitPage("confirmed", 10, () -> js("return window.__confirmed || null") != null
                || browser.getCurrentUrl().contains("position="));
        awaitPage("back-on-run", 20, () -> browser.getCurrentUrl().contains("/ui/runs/" + runId + "?position="));
        assertThat(browser.findElement(By.cssSelector("#task-transform form[action$='/clear']"))
                .getAttribute("data-confirm")).contains("Clear transform", "downstream");
        markPage();
        awaitPage("run-succeeded", 60, () -> "SUCCEEDED".equals(state("#run-state")));
        assertThat(pageNotReloaded()).as("the run went green without a reload").isTrue();
        assertThat(browser.findElements(By.cssSelector("#task-transform a.attempt-link"))).hasSize(2);
        assertThat(text("#history")).contains("by otto");
        shot("run");
        browser.get(system.baseUrl() + "/ui/pipelines/ui-demo");
        assertThat(browser.findElements(By.cssSelector("table.grid td.c"))).hasSize(3);
        shot("pipeline");
        // a grid cell opens its attempt: transform's second, the one that succeeded
        click("table.grid tr[data-task='transform'] td.c");
        awaitPage("grid-cell-attempt", 20, () -> browser.getCurrentUrl().endsWith("/ui/runs/" + runId
                + "/tasks/transform/attempts/2"));
        assertThat(text("h1")).contains("transform · attempt 2", "succeeded");
    }

    @Test
    @Order(4)
    void aViewerSeesNoActionAndAnUnknownRunIsAFriendlyNotFound() {
        click("form.who button");
        awaitPage("signed-out", 10, () -> browser.getCurrentUrl().contains("/ui/sign-in"));
        browser.get(system.baseUrl() + "/ui/runs/" + runId);
        assertThat(browser.getCurrentUrl()).as("the signed-out session no longer opens pages").contains("/ui/sign-in");
        signIn("vera", UiFixture.PASSWORD);
        assertThat(browser.getCurrentUrl()).endsWith("/ui/runs/" + runId);
        assertThat(text("#run-state")).contains("succeeded");
        assertThat(browser.findElements(By.cssSelector("button.clear-task, #cancel-run"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("form[action*='/mark']"))).isEmpty();
        browser.get(system.baseUrl() + "/ui/pipelines/ui-demo");
        assertThat(browser.findElements(By.id("trigger"))).isEmpty();
        assertThat(browser.findElements(By.id("pause-toggle"))).isEmpty();
        shot("pipeline-as-viewer");
        browser.get(system.baseUrl() + "/ui/runs/ui-demo.999");
        assertThat(text("h1")).isEqualTo("Not found");
        assertThat(browser.findElement(By.linkText("All pipelines")).isDisplayed()).isTrue();
        shot("not-found");
    }

    /** Waits for the page to show something; when it does not, keeps the page's HTML and picture for the report. */
    private static void awaitPage(String what, int seconds, java.util.concurrent.Callable<Boolean> condition) {
        try {
            await(what).atMost(Duration.ofSeconds(seconds)).ignoreExceptions().until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            try {
                Files.writeString(SHOTS.resolve("failed-" + what.replaceAll("[^a-z0-9]+", "-") + ".html"),
                        "<!-- " + browser.getCurrentUrl() + " -->\n" + browser.getPageSource());
            } catch (IOException io) {
                e.addSuppressed(io);
            }
            shot("failed-" + what.replaceAll("[^a-z0-9]+", "-"));
            throw e;
        }
    }

    /**
     * Clicks what the selector finds, finding it again when a live update replaced it in between (the page changes
     * as the run does: that is what is tested).
     */
    private static void click(String css) {
        await(css).atMost(Duration.ofSeconds(10)).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
                .until(() -> {
                    browser.findElement(By.cssSelector(css)).click();
                    return true;
                });
    }

    @Test
    @Order(5)
    void anApproverSeesTheChampionsHistoryAndRollsItBack() {
        system.monitoredModel();
        browser.get(system.baseUrl() + "/ui/pipelines");
        click("form.who button");
        awaitPage("signed-out-again", 10, () -> browser.getCurrentUrl().contains("/ui/sign-in"));
        browser.get(system.baseUrl() + "/ui/models/ui-model");
        signIn("abby", UiFixture.PASSWORD);
        assertThat(text("#alias-champion h3")).contains("champion → version 2");
        assertThat(text("#alias-champion .alias-history")).contains("v1 → v2", "version 2 is better on last week's data");
        shot("model");
        browser.findElement(By.id("reason-champion")).sendKeys("v2 mislabels new customers");
        js("window.confirm = function (message) { window.__confirmed = message; return true; };");
        click("#alias-champion form.rollback button");
        awaitPage("rolled-back", 20, () -> text("#action-done").contains("rolled back"));
        assertThat(text("#alias-champion h3")).contains("champion → version 1");
        assertThat(browser.findElements(By.cssSelector("#alias-champion .alias-history li")).get(0).getText())
                .contains("v2 → v1", "abby", "v2 mislabels new customers");
        JsonNode champion = system.admin.get("/api/v1/models/ui-model/aliases/champion").body();
        assertThat(champion.path("version").path("version").asInt()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void theDriftChartAndTheRetrainTriggerLeadToTheRunItStarted() {
        awaitPage("drift-report", 60, () -> system.admin.get("/api/v1/monitors/ui-model/reports").body()
                .path("items").size() == 2);
        browser.get(system.baseUrl() + "/ui/monitors");
        browser.findElement(By.linkText("ui-model")).click();
        awaitPage("chart-drawn", 20, () -> !browser.findElements(By.cssSelector("#drift-chart .uplot")).isEmpty());
        awaitPage("trigger-run", 60, () -> !browser.findElements(By.cssSelector("a.trigger-run")).isEmpty());
        assertThat(text("#latest-report")).contains("x", "stable");
        assertThat(text("#triggers")).contains("REQUESTED");
        shot("monitor");
        click("a.trigger-run");
        awaitPage("retrain-run-page", 20, () -> browser.getCurrentUrl().contains("/ui/runs/ui-retrain."));
        assertThat(text("h1")).contains("Run ui-retrain.");
    }

    @Test
    @Order(7)
    void wrongValuesShowFieldErrorsAndStartNothingAndForcedActionsAreRefused() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String otto = session("otto");
        int runsBefore = system.admin.get("/api/v1/runs?pipeline=ui-demo").body().size();
        // the server checks what the browser checks, and says it next to the field
        java.net.http.HttpResponse<String> bad = form(http, otto, "/ui/pipelines/ui-demo/trigger",
                "greeting=hi&count=two&csrf=" + dev.drover.platform.security.BrowserSession.csrf(otto));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("id=\"e-count\"", "not a whole number");
        // a form without the session's form token is refused: another site cannot start runs through a browser
        assertThat(form(http, otto, "/ui/pipelines/ui-demo/trigger", "greeting=hi&count=2").statusCode())
                .isEqualTo(403);
        // a viewer forcing an operator's action gets 403 from the one enforcement point
        String vera = session("vera");
        java.net.http.HttpResponse<String> forced = form(http, vera, "/ui/pipelines/ui-demo/trigger",
                "greeting=hi&count=2&csrf=" + dev.drover.platform.security.BrowserSession.csrf(vera));
        assertThat(forced.statusCode()).isEqualTo(403);
        assertThat(form(http, vera, "/ui/runs/" + runId + "/tasks/transform/clear",
                "csrf=" + dev.drover.platform.security.BrowserSession.csrf(vera)).statusCode()).isEqualTo(403);
        assertThat(system.admin.get("/api/v1/runs?pipeline=ui-demo").body().size()).as("no run started")
                .isEqualTo(runsBefore);
        // the cookie is no credential for the JSON API
        java.net.http.HttpResponse<String> api = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(system.baseUrl() + "/api/v1/pipelines")).header("Cookie",
                dev.drover.platform.security.BrowserSession.COOKIE + "=" + otto).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        // the admin page: accounts, tokens (web sessions among them) and secret names, for admins only
        java.net.http.HttpResponse<String> admin = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(system.baseUrl() + "/ui/admin")).header("Authorization", "Bearer "
                + system.admin.token()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("otto", "vera", "abby", "web session");
        assertThat(get(http, vera, "/ui/admin").statusCode()).isEqualTo(403);
        for (String page : List.of("/ui/assets", "/ui/events", "/ui/pools")) {
            assertThat(get(http, vera, page).statusCode()).as(page).isEqualTo(200);
        }
        // a revision diff: the changed command is marked, and an unknown revision is a friendly 404
        assertThat(system.admin.registerPipeline(UiFixture.PIPELINE.replace("sleep 0.4", "sleep 0.5")).status())
                .isEqualTo(201);
        await("revision 2 in the read model").atMost(Duration.ofSeconds(20)).until(() ->
                system.admin.get("/api/v1/pipelines/ui-demo/revisions").body().size() == 2);
        java.net.http.HttpResponse<String> diff = get(http, vera, "/ui/pipelines/ui-demo/diff?from=1&to=2");
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.body()).contains("d-change", "sleep 0.5");
        assertThat(get(http, vera, "/ui/pipelines/ui-demo/diff?from=1&to=9").statusCode()).isEqualTo(404);
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient http, String session, String path)
            throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.baseUrl() + path))
                .header("Cookie", dev.drover.platform.security.BrowserSession.COOKIE + "=" + session).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }


    /** A session token of a person, as the sign-in page gets one. */
    private static String session(String name) {
        DroverClient.Response r = new DroverClient(system.baseUrl()).send("POST", "/api/v1/sessions", null,
                Map.of("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (name + ":" + UiFixture.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return r.body().path("token").asText();
    }

    private static java.net.http.HttpResponse<String> form(java.net.http.HttpClient http, String session, String path,
                                                            String body) throws Exception {
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.baseUrl() + path))
                .header("Cookie", dev.drover.platform.security.BrowserSession.COOKIE + "=" + session)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static void signIn(String name, String password) {
        browser.findElement(By.id("name")).clear();
        browser.findElement(By.id("name")).sendKeys(name);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector(".sign-in button[type=submit]")).click();
    }

    private static String text(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** The {@code data-state} of the element: what the page shows as icon and words. */
    private static String state(String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getAttribute("data-state");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Leaves a mark in the page's JavaScript state, which a reload would wipe. */
    private static void markPage() {
        js("window.__notReloaded = true;");
    }

    private static boolean pageNotReloaded() {
        return Boolean.TRUE.equals(js("return window.__notReloaded === true;"));
    }

    private static void shot(String name) {
        browser.manage().window().setSize(new Dimension(1400, 1000));
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
