package dev.drydock.server.gateway;

import static dev.drydock.server.gateway.ScriptedModelServer.breakOffAfter;
import static dev.drydock.server.gateway.ScriptedModelServer.html;
import static dev.drydock.server.gateway.ScriptedModelServer.status;
import static dev.drydock.server.gateway.ScriptedModelServer.stream;
import static dev.drydock.server.gateway.ScriptedModelServer.streamWithoutUsage;
import static dev.drydock.server.gateway.TestGateways.endpoint;
import static dev.drydock.server.gateway.TestGateways.gateway;
import static dev.drydock.server.gateway.TestGateways.userSays;
import static dev.drydock.server.gateway.TestGateways.with;
import static dev.drydock.server.gateway.TestGateways.withTokenizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.inference.TokenizerFile;
import dev.drydock.server.classification.Classification;
import dev.drydock.server.gateway.core.BudgetCheck;
import dev.drydock.server.gateway.core.CallContext;
import dev.drydock.server.gateway.core.Cancellation;
import dev.drydock.server.gateway.core.Capability;
import dev.drydock.server.gateway.core.ChatRequest;
import dev.drydock.server.gateway.core.ChatResult;
import dev.drydock.server.gateway.core.EndpointSpec;
import dev.drydock.server.gateway.core.GatewayException;
import dev.drydock.server.gateway.core.GatewayRecord;
import dev.drydock.server.gateway.core.Hashes;
import dev.drydock.server.gateway.core.Outcome;
import dev.drydock.server.gateway.core.SecretResolver;
import dev.drydock.server.gateway.core.StreamEvent;
import dev.drydock.server.gateway.core.TokenCounter;
import dev.drydock.server.gateway.core.TokenSource;
import dev.drydock.server.gateway.dlp.DlpPolicy;
import dev.drydock.server.testing.MutableClock;
import dev.drydock.server.testing.Poll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCoreTest {
    private final ScriptedModelServer primary = new ScriptedModelServer();
    private final ScriptedModelServer secondary = new ScriptedModelServer();
    private final CallContext ctx =
            CallContext.of("mike", "demo", "edit", Classification.INTERNAL).withSession("s-1");
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        primary.close();
        secondary.close();
    }

    @Test
    void shouldStreamDeltasAndRecordReportedUsageWhenEndpointStreams() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(stream("Hel", "lo"));
        List<StreamEvent> events = new CopyOnWriteArrayList<>();

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), events::add, new Cancellation());

        // Then
        assertThat(events).containsExactly(new StreamEvent.TextDelta("Hel"), new StreamEvent.TextDelta("lo"));
        assertThat(result.content()).isEqualTo("Hello");
        assertThat(result.ttftMillis()).isNotNull();
        GatewayRecord rec = f.records().getFirst();
        assertThat(f.records()).hasSize(1);
        assertThat(rec.outcome()).isEqualTo(Outcome.OK);
        assertThat(rec.promptTokens()).isEqualTo(7);
        assertThat(rec.completionTokens()).isEqualTo(2);
        assertThat(rec.usageReported()).isTrue();
        assertThat(rec.sessionId()).isEqualTo("s-1");
        assertThat(rec.promptSha256()).hasSize(64);
        assertThat(rec.completionSha256()).isEqualTo(dev.drydock.server.gateway.core.Hashes.sha256("Hello"));
        assertThat(rec.cost()).isEqualByComparingTo("0.006500");
    }

    @Test
    void shouldReuseUpstreamConnectionWhenStreamsFinish() throws Exception {
        // Given a server that ends the body a little after [DONE], so that a client that stops reading at [DONE] drops
        // the connection
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.endBodyAfterDone(30);
        f.gateway().chat(ctx, userSays("first"), e -> {}, new Cancellation());

        // When streams keep finishing normally, one by one
        Poll.until(
                () -> {
                    try {
                        f.gateway().chat(ctx, userSays("again"), e -> {}, new Cancellation());
                    } catch (GatewayException e) {
                        throw new IllegalStateException(e);
                    }
                    return primary.chatCount() - primary.chatConnections();
                },
                reused -> reused >= 3,
                Duration.ofSeconds(10),
                reused -> primary.chatCount() + " chats over " + primary.chatConnections() + " connections");

        // Then later requests came over connections that earlier ones had used
        assertThat(primary.chatConnections()).isLessThan(primary.chatCount());
    }

    @Test
    void shouldFallBackMidStreamWithResetAndRecordOnceWhenFirstEndpointBreaksOff() throws Exception {
        // Given the first endpoint breaks off after one chunk, every time
        var f = gateway(List.of(endpoint("a", primary.baseUrl()), endpoint("b", secondary.baseUrl())));
        primary.otherwise(breakOffAfter("Par"));
        secondary.then(stream("Full", " answer"));
        List<StreamEvent> events = new CopyOnWriteArrayList<>();

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), events::add, new Cancellation());

        // Then
        assertThat(result.endpoint()).isEqualTo("b");
        assertThat(result.content()).isEqualTo("Full answer");
        assertThat(events).first().isEqualTo(new StreamEvent.TextDelta("Par"));
        assertThat(events).filteredOn(e -> e instanceof StreamEvent.Reset).hasSize(1);
        assertThat(events.getLast()).isEqualTo(new StreamEvent.TextDelta(" answer"));
        assertThat(f.records()).singleElement().satisfies(rec -> {
            assertThat(rec.endpoint()).isEqualTo("b");
            assertThat(rec.completionTokens()).isEqualTo(2);
            assertThat(rec.attempts()).hasSize(2).last().isEqualTo("b: ok");
        });
    }

    @Test
    void shouldRetryAfterRateLimitThenSucceedOnSameEndpoint() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(status(429, "{\"error\":{\"message\":\"slow down\"}}"), stream("ok"));

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation());

        // Then
        assertThat(result.content()).isEqualTo("ok");
        assertThat(primary.chatCount()).isEqualTo(2);
        assertThat(f.records().getFirst().attempts()).first().asString().startsWith("a: rate-limited");
    }

    /** Endpoint "a" (the primary server), then "b" (the secondary), on a clock of the test's. */
    private TestGateways.Fixture primaryAndSecondary(MutableClock clock) {
        return gateway(
                List.of(endpoint("a", primary.baseUrl()), endpoint("b", secondary.baseUrl())),
                clock,
                DlpPolicy.REDACT,
                BudgetCheck.NONE,
                1 << 20,
                SecretResolver.NONE);
    }

    @Test
    void shouldOpenBreakerAfterFailuresAndCloseItAfterSuccessfulTrial() throws Exception {
        // Given three failures open the breaker (threshold 3); the clock is ours
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        var f = primaryAndSecondary(clock);
        primary.then(status(500, "boom"), status(500, "boom"), status(500, "boom"));
        f.gateway().chat(ctx, userSays("1"), e -> {}, new Cancellation());
        f.gateway().chat(ctx, userSays("2"), e -> {}, new Cancellation());
        int callsWhenOpen = primary.chatCount();
        f.gateway().chat(ctx, userSays("3"), e -> {}, new Cancellation());
        int callsWhileOpen = primary.chatCount() - callsWhenOpen;
        clock.advance(Duration.ofSeconds(31));

        // When
        ChatResult afterPause = f.gateway().chat(ctx, userSays("4"), e -> {}, new Cancellation());

        // Then
        assertThat(callsWhenOpen).isEqualTo(3);
        assertThat(callsWhileOpen).isZero();
        assertThat(f.records().get(2).attempts()).first().isEqualTo("a: skipped, circuit breaker open");
        assertThat(afterPause.endpoint()).isEqualTo("a");
        assertThat(f.gateway().breakerState("a"))
                .isEqualTo(dev.drydock.server.gateway.core.CircuitBreaker.State.CLOSED);
    }

    @Test
    void shouldSkipEndpointWhoseBreakerAnotherReplicaOpenedAndTellWhenItsOwnOpens() throws Exception {
        // Given another replica's breaker of "a" open for 30 s, and a listener for this gateway's openings
        MutableClock clock = new MutableClock(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        var f = primaryAndSecondary(clock);
        List<String> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.gateway().onBreakerOpened((endpoint, until) -> opened.add(endpoint + " until " + until));
        f.gateway().adoptOpen("a", clock.instant().plusSeconds(30));

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("1"), e -> {}, new Cancellation());

        // Then "a" is not asked, and nothing is told (the opening was not this gateway's)
        assertThat(result.endpoint()).isEqualTo("b");
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records().getFirst().attempts()).first().isEqualTo("a: skipped, circuit breaker open");
        assertThat(opened).isEmpty();
        primary.then(status(500, "boom"));
        clock.advance(Duration.ofSeconds(30));
        f.gateway().chat(ctx, userSays("2"), e -> {}, new Cancellation());
        assertThat(opened).containsExactly("a until 2026-01-01T00:01:00Z");
    }

    @Test
    void shouldRefuseAndRecordWhenClassificationExceedsClearance() {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        CallContext secret = CallContext.of("mike", "demo", "edit", Classification.SECRET);

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(secret, userSays("hi"), e -> {}, new Cancellation()));

        // Then
        thrown.isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.CLASSIFICATION_REFUSED))
                .hasMessageContaining("classified secret");
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records())
                .singleElement()
                .extracting(GatewayRecord::outcome)
                .isEqualTo(Outcome.CLASSIFICATION_REFUSED);
    }

    @Test
    void shouldSkipUnclearedEndpointAndUseClearedOneWhenRouteMixesClearances() throws Exception {
        // Given
        EndpointSpec low = with(
                endpoint("a", primary.baseUrl()),
                4,
                Duration.ofSeconds(5),
                Classification.PUBLIC,
                EnumSet.of(Capability.STREAMING),
                null);
        var f = gateway(List.of(low, endpoint("b", secondary.baseUrl())));

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation());

        // Then
        assertThat(result.endpoint()).isEqualTo("b");
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records().getFirst().attempts()).first().asString().contains("refused, cleared for public only");
    }

    @Test
    void shouldRedactSecretsBeforeSendingWhenDlpPolicyIsRedact() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        String prompt = "deploy with AKIAABCDEFGHIJKLMNOP and password=hunter22secret please";
        ChatRequest request = userSays(prompt);

        // When
        f.gateway().chat(ctx, request, e -> {}, new Cancellation());

        // Then: the model got the redacted text, the caller's request is untouched, the fingerprint is of what was sent
        assertThat(primary.requests().getFirst())
                .doesNotContain("AKIAABCDEFGHIJKLMNOP")
                .doesNotContain("hunter22secret")
                .contains("[REDACTED:aws-access-key]")
                .contains("password=[REDACTED:password-in-config]");
        assertThat(f.records().getFirst().dlpFindings()).containsExactly("aws-access-key×1", "password-in-config×1");
        assertThat(request.messages().toString()).contains("AKIAABCDEFGHIJKLMNOP");
        assertThat(f.records().getFirst().promptSha256())
                .isEqualTo(Hashes.sha256(json.writeValueAsBytes(
                        json.readTree(primary.requests().getFirst()).get("messages"))));
    }

    @Test
    void shouldRefuseWithoutSendingWhenDlpPolicyIsRefuse() {
        // Given
        var f = gateway(
                List.of(endpoint("a", primary.baseUrl())),
                Clock.systemUTC(),
                DlpPolicy.REFUSE,
                BudgetCheck.NONE,
                1 << 20,
                SecretResolver.NONE);
        String prompt = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays(prompt), e -> {}, new Cancellation()));

        // Then
        thrown.isInstanceOfSatisfying(
                GatewayException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.DLP_REFUSED));
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records().getFirst().dlpFindings()).containsExactly("private-key×1");
    }

    @Test
    void shouldRefuseWhenBudgetIsExhausted() {
        // Given
        var f = gateway(
                List.of(endpoint("a", primary.baseUrl())),
                Clock.systemUTC(),
                DlpPolicy.REDACT,
                c -> Optional.of("daily token budget of user mike exhausted"),
                1 << 20,
                SecretResolver.NONE);

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation()));

        // Then
        thrown.isInstanceOfSatisfying(
                GatewayException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.BUDGET_EXCEEDED));
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records().getFirst().outcome()).isEqualTo(Outcome.BUDGET_EXCEEDED);
    }

    @Test
    void shouldCloseUpstreamConnectionWhenCallerCancels() throws Exception {
        // Given a server that keeps the stream open
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(new ScriptedModelServer.Stall(true));
        Cancellation cancel = new Cancellation();
        CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                f.gateway().chat(ctx, userSays("hi"), e -> {}, cancel);
                return Outcome.OK;
            } catch (GatewayException e) {
                return e.outcome();
            }
        });
        assertThat(primary.awaitStall(10)).isTrue();

        // When
        cancel.cancel();

        // Then
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.CANCELLED);
        boolean gone = primary.awaitClientGone(10);
        assertThat(gone)
                .as("upstream connection closed (%s)", gone ? "" : threadDump("cancel-upstream"))
                .isTrue();
        assertThat(f.records().getFirst().outcome()).isEqualTo(Outcome.CANCELLED);
    }

    /**
     * Writes every thread, virtual ones included, to {@code target/} and says where: this test failed
     * once in a full suite run (never alone), and the dump shows what the JDK client's and the model
     * server's virtual threads were doing, and what held the carriers.
     */
    private static String threadDump(String name) {
        try {
            java.nio.file.Path file = java.nio.file.Path.of(
                            "target", "thread-dump-" + name + "-" + System.nanoTime() + ".json")
                    .toAbsolutePath();
            java.nio.file.Files.createDirectories(file.getParent());
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            return "threads dumped to " + file;
        } catch (java.io.IOException | RuntimeException e) {
            return "no thread dump: " + e;
        }
    }

    @Test
    void shouldStopWaitingForHeadersWhenCallerCancels() throws Exception {
        // Given a server that takes the request and answers nothing
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(new ScriptedModelServer.Silent());
        Cancellation cancel = new Cancellation();
        CompletableFuture<String> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                f.gateway().chat(ctx, userSays("hi"), e -> {}, cancel);
                return "OK";
            } catch (GatewayException e) {
                return e.outcome() + (Thread.currentThread().isInterrupted() ? ", thread left interrupted" : "");
            }
        });
        assertThat(primary.awaitStall(10)).isTrue();

        // When
        cancel.cancel();

        // Then
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo("CANCELLED");
        assertThat(f.records().getFirst().attempts()).containsExactly("a: cancelled");
    }

    @Test
    void shouldTimeOutWaitingForHeadersAndFallBack() throws Exception {
        // Given an endpoint that never sends its headers, with a 300 ms timeout
        EndpointSpec silent = with(
                endpoint("silent", primary.baseUrl()),
                4,
                Duration.ofMillis(300),
                Classification.CONFIDENTIAL,
                EnumSet.of(Capability.STREAMING),
                null);
        var f = gateway(List.of(silent, endpoint("b", secondary.baseUrl())));
        primary.otherwise(new ScriptedModelServer.Silent());

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation());

        // Then
        assertThat(result.endpoint()).isEqualTo("b");
        assertThat(f.records().getFirst().attempts().getFirst()).isEqualTo("silent: timeout no answer within 300 ms");
        assertThat(Thread.currentThread().isInterrupted())
                .as("the timeout's interrupt does not outlive the wait")
                .isFalse();
    }

    @Test
    void shouldFallBackWhenEndpointAnswersHtml() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl()), endpoint("b", secondary.baseUrl())));
        primary.otherwise(html());

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation());

        // Then
        assertThat(result.endpoint()).isEqualTo("b");
        assertThat(primary.chatCount()).isEqualTo(1);
        assertThat(f.records().getFirst().attempts().getFirst())
                .contains("bad-response")
                .contains("text/html");
    }

    @Test
    void shouldAnswerAllUnavailableWithReasonsWhenEveryEndpointFails() {
        // Given: a stalled stream, non-UTF-8 bytes, a truncated stream and a giant answer
        ScriptedModelServer third = new ScriptedModelServer();
        ScriptedModelServer fourth = new ScriptedModelServer();
        try {
            EndpointSpec stalled = with(
                    endpoint("stalled", primary.baseUrl()),
                    4,
                    Duration.ofMillis(300),
                    Classification.CONFIDENTIAL,
                    EnumSet.of(Capability.STREAMING),
                    null);
            var f = gateway(
                    List.of(
                            stalled,
                            endpoint("binary", secondary.baseUrl()),
                            endpoint("truncated", third.baseUrl()),
                            endpoint("giant", fourth.baseUrl())),
                    Clock.systemUTC(),
                    DlpPolicy.REDACT,
                    BudgetCheck.NONE,
                    64 * 1024,
                    SecretResolver.NONE);
            primary.otherwise(new ScriptedModelServer.Stall(false));
            secondary.otherwise(ScriptedModelServer.rawSse(ScriptedModelServer.concat(
                    "data: {\"choices\":[{\"delta\":{\"content\":\"".getBytes(StandardCharsets.UTF_8),
                    new byte[] {(byte) 0xff, (byte) 0xfe},
                    "\"}}]}\n\n".getBytes(StandardCharsets.UTF_8))));
            third.otherwise(ScriptedModelServer.rawSse(
                    "data: {\"choices\":[{\"delta\":{\"content\":\"cut\"}}]}\n\ndata: {\"choi"
                            .getBytes(StandardCharsets.UTF_8)));
            fourth.otherwise(new ScriptedModelServer.Stream(
                    IntStream.range(0, 2000).mapToObj(i -> "x".repeat(100)).toList(), null, false, 0));

            // When
            var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation()));

            // Then
            thrown.isInstanceOfSatisfying(
                            GatewayException.class,
                            e -> assertThat(e.outcome()).isEqualTo(Outcome.ALL_ENDPOINTS_UNAVAILABLE))
                    .hasMessageContaining("stalled: timeout")
                    .hasMessageContaining("not valid UTF-8")
                    .hasMessageContaining("truncated")
                    .hasMessageContaining("giant: too-large");
            assertThat(f.records())
                    .singleElement()
                    .extracting(GatewayRecord::outcome)
                    .isEqualTo(Outcome.ALL_ENDPOINTS_UNAVAILABLE);
        } finally {
            third.close();
            fourth.close();
        }
    }

    @Test
    void shouldSayBusyWhenConcurrencyLimitIsReachedAndQueueTimesOut() throws Exception {
        // Given one slot, held by a stalled request
        EndpointSpec single = with(
                endpoint("a", primary.baseUrl()),
                1,
                Duration.ofSeconds(30),
                Classification.CONFIDENTIAL,
                EnumSet.of(Capability.STREAMING),
                null);
        var f = gateway(List.of(single));
        primary.then(new ScriptedModelServer.Stall(true));
        Cancellation first = new Cancellation();
        CompletableFuture<?> holder = CompletableFuture.runAsync(() -> {
            try {
                f.gateway().chat(ctx, userSays("hold"), e -> {}, first);
            } catch (GatewayException ignored) {
                // cancelled below
            }
        });
        assertThat(primary.awaitStall(10)).isTrue();

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays("second"), e -> {}, new Cancellation()));

        // Then
        thrown.isInstanceOfSatisfying(
                        GatewayException.class,
                        e -> assertThat(e.outcome()).isEqualTo(Outcome.ALL_ENDPOINTS_UNAVAILABLE))
                .hasMessageContaining("busy");
        first.cancel();
        holder.get(10, TimeUnit.SECONDS);
    }

    @Test
    void shouldReportAuthFailureWhenEndpointRefusesCredential(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Given
        java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("key"), "wrong-key\n");
        primary.requireKey("right-key");
        EndpointSpec keyed = with(
                endpoint("a", primary.baseUrl()),
                4,
                Duration.ofSeconds(5),
                Classification.CONFIDENTIAL,
                EnumSet.of(Capability.STREAMING),
                "file:" + secret);
        var f = gateway(List.of(keyed));

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation()));

        // Then
        thrown.hasMessageContaining("refused the configured credential").hasMessageNotContaining("wrong-key");
    }

    @Test
    void shouldCountTokensWhenServerReportsNoUsage() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(streamWithoutUsage("one two six"));

        // When
        f.gateway().chat(ctx, userSays("count these words"), e -> {}, new Cancellation());

        // Then
        GatewayRecord rec = f.records().getFirst();
        assertThat(rec.usageReported()).isFalse();
        assertThat(rec.tokenSource()).isEqualTo(TokenSource.ESTIMATE);
        assertThat(rec.completionTokens()).isEqualTo(3);
        assertThat(rec.promptTokens()).isPositive();
    }

    @Test
    void shouldCountTokensWithEndpointTokenizerWhenServerReportsNoUsage(@TempDir Path dir) throws Exception {
        // Given an endpoint configured with the MiniLM tokenizer.json shipped with local-inference, and a server that
        // omits usage
        Path file = TestTokenizers.miniLm(dir);
        String prompt = "naïve café résumé tokenization";
        String answer = "Unbelievably, WordPiece splits rarewords";
        var f = gateway(
                List.of(withTokenizer(endpoint("a", primary.baseUrl()), file.toString())),
                Clock.systemUTC(),
                DlpPolicy.REDACT,
                BudgetCheck.NONE,
                1 << 20,
                SecretResolver.NONE,
                new GatewayTokenizers());
        primary.then(streamWithoutUsage(answer));

        // When
        f.gateway().chat(ctx, userSays(prompt), e -> {}, new Cancellation());

        // Then the counts are the tokenizer's (plus 4 per prompt message), not the estimate's
        GatewayRecord rec = f.records().getFirst();
        try (TokenizerFile miniLm = TokenizerFile.load(file)) {
            assertThat(rec.tokenSource()).isEqualTo(TokenSource.TOKENIZER);
            assertThat(rec.completionTokens()).isEqualTo(miniLm.count(answer)).isNotEqualTo(TokenCounter.count(answer));
            assertThat(rec.promptTokens())
                    .isEqualTo(4 + miniLm.count(prompt))
                    .isNotEqualTo(4 + TokenCounter.count(prompt));
        }
    }

    @Test
    void shouldEstimateAndSayWhyWhenTokenizerFileCannotBeLoaded(@TempDir Path dir) throws Exception {
        // Given
        var f = gateway(
                List.of(withTokenizer(
                        endpoint("a", primary.baseUrl()),
                        dir.resolve("missing-tokenizer.json").toString())),
                Clock.systemUTC(),
                DlpPolicy.REDACT,
                BudgetCheck.NONE,
                1 << 20,
                SecretResolver.NONE,
                new GatewayTokenizers());
        primary.then(streamWithoutUsage("one two six"));

        // When
        f.gateway().chat(ctx, userSays("count these words"), e -> {}, new Cancellation());

        // Then
        GatewayRecord rec = f.records().getFirst();
        assertThat(rec.outcome()).isEqualTo(Outcome.OK);
        assertThat(rec.tokenSource()).isEqualTo(TokenSource.ESTIMATE);
        assertThat(rec.completionTokens()).isEqualTo(3);
    }

    @Test
    void shouldPreferReportedUsageOverTokenizerWhenServerReportsIt(@TempDir Path dir) throws Exception {
        // Given
        Path file = TestTokenizers.miniLm(dir);
        var f = gateway(
                List.of(withTokenizer(endpoint("a", primary.baseUrl()), file.toString())),
                Clock.systemUTC(),
                DlpPolicy.REDACT,
                BudgetCheck.NONE,
                1 << 20,
                SecretResolver.NONE,
                new GatewayTokenizers());
        primary.then(stream("Hel", "lo"));

        // When
        f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation());

        // Then
        GatewayRecord rec = f.records().getFirst();
        assertThat(rec.tokenSource()).isEqualTo(TokenSource.USAGE);
        assertThat(rec.promptTokens()).isEqualTo(7);
        assertThat(rec.completionTokens()).isEqualTo(2);
    }

    @Test
    void shouldAssembleNativeToolCallFromStreamedFragments() throws Exception {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));
        primary.then(new ScriptedModelServer.ToolCallStream("read_file", "{\"path\":\"README.md\"}"));

        // When
        ChatResult result =
                f.gateway().chat(ctx, TestGateways.withTool("read it", "read_file"), e -> {}, new Cancellation());

        // Then
        assertThat(result.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("read_file");
            assertThat(c.arguments()).isEqualTo("{\"path\":\"README.md\"}");
        });
        assertThat(result.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void shouldParseTextToolCallAndReportMalformedOneWhenEndpointLacksNativeTools() throws Exception {
        // Given an endpoint without native tools whose model writes one good and one broken call
        EndpointSpec plain = with(
                endpoint("a", primary.baseUrl()),
                4,
                Duration.ofSeconds(5),
                Classification.CONFIDENTIAL,
                EnumSet.of(Capability.STREAMING),
                null);
        var f = gateway(List.of(plain));
        primary.then(stream(
                "<tool_call>{\"name\":\"read_file\",\"arguments\":{\"path\":\"a\"}}</tool_call>",
                "<tool_call>{\"name\": read_file}</tool_call>"));

        // When
        ChatResult result =
                f.gateway().chat(ctx, TestGateways.withTool("read it", "read_file"), e -> {}, new Cancellation());

        // Then
        assertThat(result.toolCalls())
                .singleElement()
                .extracting(c -> c.arguments())
                .isEqualTo("{\"path\":\"a\"}");
        assertThat(result.toolCallErrors())
                .singleElement()
                .satisfies(m -> assertThat(m.message()).contains("not valid JSON"));
        assertThat(primary.requests().getFirst()).doesNotContain("\"tools\"").contains("<tool_call>");
    }

    @Test
    void shouldRefuseAndRecordEgressWhenEndpointHostIsNotAllowed() {
        // Given an endpoint on a host outside the allow-list
        var f = gateway(List.of(endpoint("far", "http://models.example.invalid:8000/v1")));

        // When
        var thrown = assertThatThrownBy(() -> f.gateway().chat(ctx, userSays("hi"), e -> {}, new Cancellation()));

        // Then
        thrown.hasMessageContaining("egress-refused");
        assertThat(f.refusals()).singleElement().satisfies(r -> {
            assertThat(r.host()).isEqualTo("models.example.invalid");
            assertThat(r.purpose()).isEqualTo("model endpoint far");
        });
    }

    @Test
    void shouldAnswerUnknownModelWhenNameMatchesNothing() {
        // Given
        var f = gateway(List.of(endpoint("a", primary.baseUrl())));

        // When
        var thrown = assertThatThrownBy(
                () -> f.gateway().chat(ctx.withModel("gpt-17"), userSays("hi"), e -> {}, new Cancellation()));

        // Then
        thrown.isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN_MODEL))
                .hasMessageContaining("gpt-17");
    }

    @Test
    void shouldSpeakOllamaNdjsonAndConvertToolCalls() throws Exception {
        // Given an Ollama endpoint (base URL without /v1)
        EndpointSpec base = endpoint("llama", primary.baseUrl().replace("/v1", ""));
        EndpointSpec ollama = new EndpointSpec(
                base.name(),
                base.baseUrl(),
                dev.drydock.server.gateway.core.Protocol.OLLAMA,
                "llama3",
                "Authorization",
                null,
                8192,
                EnumSet.of(Capability.STREAMING, Capability.TOOLS),
                4,
                base.connectTimeout(),
                base.requestTimeout(),
                base.idleTimeout(),
                base.costPer1kPromptTokens(),
                base.costPer1kCompletionTokens(),
                Classification.CONFIDENTIAL,
                null);
        var f = gateway(List.of(ollama));
        primary.then(new ScriptedModelServer.Raw(
                200,
                "application/x-ndjson",
                String.join(
                                "\n",
                                "{\"message\":{\"role\":\"assistant\",\"content\":\"Let me read\"},\"done\":false}",
                                "{\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"read_file\",\"arguments\":{\"path\":\"a\"}}}]},\"done\":false}",
                                "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":11,\"eval_count\":4}",
                                "")
                        .getBytes(StandardCharsets.UTF_8)));

        // When
        ChatResult result =
                f.gateway().chat(ctx, TestGateways.withTool("read a", "read_file"), e -> {}, new Cancellation());

        // Then
        assertThat(result.content()).isEqualTo("Let me read");
        assertThat(result.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("read_file");
            assertThat(c.arguments()).isEqualTo("{\"path\":\"a\"}");
        });
        assertThat(result.usage()).isEqualTo(new dev.drydock.server.gateway.core.Usage(11, 4, TokenSource.USAGE));
        assertThat(primary.requests().getFirst())
                .contains("\"model\":\"llama3\"")
                .contains("\"stream\":true");
    }

    @Test
    void shouldSkipEndpointWhoseContextWindowIsTooSmall() throws Exception {
        // Given a small-context endpoint first in the route
        EndpointSpec base = endpoint("small", primary.baseUrl());
        EndpointSpec small = new EndpointSpec(
                base.name(),
                base.baseUrl(),
                base.protocol(),
                base.modelId(),
                base.authHeader(),
                null,
                16,
                base.capabilities(),
                4,
                base.connectTimeout(),
                base.requestTimeout(),
                base.idleTimeout(),
                base.costPer1kPromptTokens(),
                base.costPer1kCompletionTokens(),
                base.clearance(),
                null);
        var f = gateway(List.of(small, endpoint("large", secondary.baseUrl())));

        // When
        ChatResult result = f.gateway().chat(ctx, userSays("word ".repeat(100)), e -> {}, new Cancellation());

        // Then
        assertThat(result.endpoint()).isEqualTo("large");
        assertThat(primary.chatCount()).isZero();
        assertThat(f.records().getFirst().attempts().getFirst()).contains("exceeds its context window of 16");
    }
}
