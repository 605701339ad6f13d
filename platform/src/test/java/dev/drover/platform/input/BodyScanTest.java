package dev.drover.platform.input;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodyScanTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "{\"a\":\"tab\\tnew\\nline\\r\"}", "{\"emoji\":\"\\ud83d\\ude00 😀\"}",
            "{\"escaped\":\"\\\\u0000 is text\"}", "{\"é\":[1,2,{\"x\":null}]}", "\"\\u007e\""})
    void acceptsJsonThatObeysTheRules(String body) {
        assertThat(BodyScan.json(utf8(body))).isEmpty();
    }

    @Test
    void namesThePointerOfTheOffendingValue() {
        assertThat(BodyScan.json(utf8("{\"a\":[\"ok\",{\"b\":\"x\\u0000\"}]}"))).hasValueSatisfying(p -> {
            assertThat(p.pointer()).isEqualTo("/a/1/b");
            assertThat(p.message()).contains("U+0000").contains("NUL");
        });
        assertThat(BodyScan.json(utf8("{\"k\\u0001\":1}"))).hasValueSatisfying(p ->
                assertThat(p.message()).contains("member name"));
        assertThat(BodyScan.json(utf8("[\"\\udc00\"]"))).hasValueSatisfying(p -> {
            assertThat(p.pointer()).isEqualTo("/0");
            assertThat(p.message()).contains("unpaired");
        });
        assertThat(BodyScan.json(utf8("[\"\\ud800x\"]"))).isPresent();
        assertThat(BodyScan.json(utf8("{\"c1\":\"\\u0085\"}"))).isPresent();
    }

    @Test
    void refusesInvalidUtf8DeepNestingAndBrokenJson() {
        assertThat(BodyScan.json(new byte[] {'"', (byte) 0xC3, '(', '"'})).hasValueSatisfying(p ->
                assertThat(p.message()).contains("UTF-8"));
        assertThat(BodyScan.json(new byte[] {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'})).isPresent();
        assertThat(BodyScan.json(new byte[] {'"', (byte) 0xC0, (byte) 0x80, '"'})).isPresent(); // overlong NUL
        assertThat(BodyScan.json(utf8("[".repeat(101) + "]".repeat(101)))).hasValueSatisfying(p ->
                assertThat(p.message()).contains("100 levels"));
        assertThat(BodyScan.json(utf8("[".repeat(100) + "]".repeat(100)))).isEmpty();
        assertThat(BodyScan.json(utf8("{\"a\":\"raw\u0001\"}"))).isPresent();
    }

    @Test
    void textBodiesMustBeUtf8WithoutControlCharacters() {
        assertThat(BodyScan.text(utf8("id: x\ntasks:\n\t- a\r\n"))).isEmpty();
        assertThat(BodyScan.text(utf8("id: x\nname: a\u0000b"))).hasValueSatisfying(p ->
                assertThat(p.message()).contains("line 2, column 8").contains("NUL"));
        assertThat(BodyScan.text(utf8("x: \u0085"))).isPresent();
        assertThat(BodyScan.text(new byte[] {'a', (byte) 0xFF})).hasValueSatisfying(p ->
                assertThat(p.message()).contains("UTF-8"));
    }

    @Test
    void quotesOffendingTextPrintablyAndShort() {
        assertThat(TextRules.quote("a\u0000b")).isEqualTo("'a\\u0000b'");
        assertThat(TextRules.quote("x".repeat(100))).contains("(100 characters, cut)");
        assertThat(TextRules.name("a\tb")).isPresent();
        assertThat(TextRules.freeText("a\tb")).isEmpty();
        assertThat(TextRules.name("ok", 1)).hasValueSatisfying(p -> assertThat(p).contains("at most 1"));
    }
}
