package org.ternmq.broker.management.http;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ternmq.broker.BrokerConfig;
import org.ternmq.broker.EmbeddedBroker;
import org.ternmq.broker.server.ConfigFile;
import org.ternmq.jms.TernConnectionFactory;

/**
 * The web console in a real browser (Debian's headless Chromium through chromedriver): log in, watch a queue's
 * depth change as messages are sent, re-drive a dead letter, and keep a screenshot in {@code target/}.
 * {@code .ci/run} installs Chromium; elsewhere the test is skipped when it is missing.
 */
@Timeout(180)
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private WebDriver browser;
    private Connection connection;

    @BeforeEach
    void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (System.getenv("CI") == null) {
            Assumptions.assumeTrue(present, "chromium and chromium-driver are not installed (.ci/run installs them)");
        }
        assertThat(present).as("chromium and chromedriver in /usr/bin").isTrue();
        Properties p = new Properties();
        p.setProperty("policy.shop.match", "shop.#");
        p.setProperty("policy.shop.max-delivery-attempts", "1");
        p.setProperty("policy.paged.match", "paged.#");
        p.setProperty("policy.paged.max-memory-messages", "20");
        broker = EmbeddedBroker.start(BrokerConfig.builder().name("console-test").tcpPort(-1).inVmName("console-test")
                .dataDirectory(dir.resolve("data")).managementPort(0).user("root", "secret", "admin")
                .user("app", "app").allowAnonymous(false)
                .policies(ConfigFile.parse(p, "test").policies()).build());
        connection = new TernConnectionFactory(broker.vmUrl()).createConnection("app", "app");
        connection.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (connection != null) {
            connection.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private WebDriverWait waiting() {
        // the console redraws its tables every second or two: an element found may be replaced before it is read
        return (WebDriverWait) new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    private String depthOf(String queue) {
        return browser.findElement(By.cssSelector("tr[data-name='" + queue + "'] td.waiting")).getText();
    }

    @Test
    void logInWatchADepthChangeAndRedriveADeadLetter() throws Exception {
        String base = broker.managementUrl();
        browser.get(base);
        waiting().until(ExpectedConditions.urlContains("/login.html"));
        browser.findElement(By.id("user")).sendKeys("app");
        browser.findElement(By.id("password")).sendKeys("app");
        browser.findElement(By.id("login")).click();
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("failed")));
        browser.findElement(By.id("user")).sendKeys("root");
        browser.findElement(By.id("password")).sendKeys("secret");
        browser.findElement(By.id("login")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("rates")));
        waiting().until(d -> d.findElement(By.id("cards")).getText().contains("Connections"));

        Session s = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("shop.orders"));
        producer.send(s.createTextMessage("first"));
        browser.get(base + "#/destinations?filter=shop");
        waiting().until(d -> depthOf("shop.orders").equals("1"));
        for (int i = 0; i < 4; i++) {
            producer.send(s.createTextMessage("order " + i));
        }
        waiting().until(d -> depthOf("shop.orders").equals("5"));

        // one dead letter: rolled back once with max-delivery-attempts 1
        Session tx = connection.createSession(Session.SESSION_TRANSACTED);
        MessageProducer poisonProducer = s.createProducer(s.createQueue("shop.payments"));
        poisonProducer.send(s.createTextMessage("poison"));
        MessageConsumer consumer = tx.createConsumer(tx.createQueue("shop.payments"));
        assertThat(consumer.receive(5000)).isNotNull();
        tx.rollback();
        consumer.close();

        browser.get(base + "#/destination?name=DLQ");
        waiting().until(d -> d.findElement(By.id("messages")).getText().contains("poison"));
        String browsed = browser.findElement(By.id("messages")).getText();
        assertThat(browsed).contains("JMS_TERN_OriginalDestination").contains("TEXT");
        waiting().until(d -> d.findElement(By.id("card-waiting")).getText().equals("1"));
        browser.findElement(By.id("redrive")).click();
        waiting().until(d -> d.findElement(By.id("result")).getText().contains("\"count\":1"));
        waiting().until(d -> d.findElement(By.id("card-waiting")).getText().equals("0"));

        browser.get(base + "#/destinations?filter=shop");
        waiting().until(d -> depthOf("shop.payments").equals("1"));
        assertThat(broker.management().browse("shop.payments", null, 0, 10)).singleElement()
                .satisfies(m -> assertThat(m.get("body")).isEqualTo("poison"));

        browser.get(base + "#/overview");
        waiting().until(d -> d.findElement(By.id("cards")).getText().contains("Waiting\n6"));
        Thread.sleep(2500); // a few points on the charts
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path target = Path.of("target", "console-overview.png");
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(target)).isGreaterThan(10_000);
    }

    @Test
    void browseAQueuePagedToDiskPageByPage() throws Exception {
        Session s = connection.createSession(Session.AUTO_ACKNOWLEDGE);
        MessageProducer producer = s.createProducer(s.createQueue("paged.backlog"));
        for (int i = 0; i < 70; i++) {
            producer.send(s.createTextMessage("backlog " + i));
        }
        assertThat(broker.management().statistics().destination("paged.backlog").paged()).isEqualTo(50);
        String base = broker.managementUrl();
        browser.get(base);
        waiting().until(ExpectedConditions.urlContains("/login.html"));
        browser.findElement(By.id("user")).sendKeys("root");
        browser.findElement(By.id("password")).sendKeys("secret");
        browser.findElement(By.id("login")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("rates")));

        browser.get(base + "#/destination?name=paged.backlog");
        waiting().until(d -> d.findElement(By.id("messages-paging")).getText().startsWith("1-50"));
        assertThat(browser.findElement(By.id("messages")).getText()).contains("backlog 0").contains("backlog 49")
                .doesNotContain("backlog 50");
        browser.findElement(By.id("messages-next")).click();
        // the second page is all on disk: 20 on the heap, the rest paged out
        waiting().until(d -> d.findElement(By.id("messages-paging")).getText().startsWith("51-70"));
        assertThat(browser.findElement(By.id("messages")).getText()).contains("backlog 50").contains("backlog 69")
                .doesNotContain("backlog 49");
        assertThat(browser.findElements(By.id("messages-next"))).isEmpty();
        browser.findElement(By.id("messages-previous")).click();
        waiting().until(d -> d.findElement(By.id("messages-paging")).getText().startsWith("1-50"));
        assertThat(broker.management().statistics().destination("paged.backlog").waiting()).isEqualTo(70);
    }
}
