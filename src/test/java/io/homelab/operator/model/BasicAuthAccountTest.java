package io.homelab.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The expected hashes were computed outside this project: the salt with Python's {@code hmac}
 * (HMAC-SHA256, key {@code homelab-operator basic-auth salt v1}, message {@code context + "\n" +
 * user}, first 16 bytes) and the hash with Python's {@code crypt.crypt(password, "$2b$10$" +
 * salt)}, which is libxcrypt's bcrypt. Caddy's own check of such a hash is in {@code
 * BasicAuthCaddyTest}.
 */
class BasicAuthAccountTest {

  private static final String APP = "homelab-operator:home-1/Route/homelab/app";
  private static final String WIKI = "homelab-operator:home-1/Route/homelab/wiki";
  private static final String PASSWORD = "correct horse battery staple";

  @ParameterizedTest(name = "{1} on {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          homelab-operator:home-1/Route/homelab/app  | alice  | correct horse battery staple | c2d7ac8452648bcdf81a0371bc4b3952 | $2b$10$urcqfDHig612EeLvtCq3SergkFFJRe2NWVn.wGaJmEEfr50.pdLR.
          homelab-operator:home-1/Route/homelab/wiki | alice  | correct horse battery staple | 777fce3f3a8250b030b1f9cf952743d3 | $2b$10$b19MNxoASJ.uqdlNjQbByu1MEduuWrSC3bo4FV9ywgqqoX6hRUyHe
          homelab-operator:home-1/Route/homelab/app  | bob    | correct horse battery staple | 32979219ab665728d4aa2533d3f27428 | $2b$10$KncQEYrkTwhSogSxy9HyI.7vwlR.sLy8sxf4w2OgWa/AHeuax4kia
          homelab-operator:home-1/Route/homelab/app  | alice  | Tr0ub4dor&3                  | c2d7ac8452648bcdf81a0371bc4b3952 | $2b$10$urcqfDHig612EeLvtCq3Sew7wQVIpQypW109MbhCenDyXKfGU6i4m
          homelab-operator:home-1/Route/homelab/app  | jürgen | pässwörd-€                   | 6425595f057ca68afa381c734bfc93c9 | $2b$10$XATXVuT6nmp4M/vxQ9wRwOfpnnALfoUsTnJ1UUXfbFP0VVSbgpDzi
          """)
  void matchesAnIndependentBcrypt(
      String context, String user, String password, String saltHex, String expected) {
    assertThat(HexFormat.of().formatHex(BasicAuthAccount.salt(context, user))).isEqualTo(saltHex);
    CaddyRoute.Account account = BasicAuthAccount.of(context, user, password);
    assertThat(account.username()).isEqualTo(user);
    assertThat(decoded(account)).isEqualTo(expected);
  }

  @Test
  void aPasswordOfBcryptsFull72BytesCounts() {
    String password = "x".repeat(72);
    assertThat(decoded(BasicAuthAccount.of(APP, "alice", password)))
        .isEqualTo("$2b$10$urcqfDHig612EeLvtCq3SeI0u8l5b0a3JeIAXHllblkgWe4Ve9X5u");
  }

  @Test
  void isStandardBase64OfTheModularCryptString() {
    String base64 = BasicAuthAccount.of(APP, "alice", PASSWORD).hashedPasswordBase64();
    assertThat(base64)
        .isEqualTo(
            "JDJiJDEwJHVyY3FmREhpZzYxMkVlTHZ0Q3EzU2VyZ2tGRkpSZTJOV1ZuLndHYUptRUVmcjUwLnBkTFIu");
    assertThat(decoded(BasicAuthAccount.of(APP, "alice", PASSWORD)))
        .hasSize(60)
        .startsWith("$2b$10$");
  }

  @Test
  void theSameInputsGiveTheSameAccount() {
    assertThat(BasicAuthAccount.of(APP, "alice", PASSWORD))
        .isEqualTo(BasicAuthAccount.of(APP, "alice", PASSWORD));
  }

  @Test
  void anotherRouteUserOrPasswordGivesAnotherHash() {
    String base = BasicAuthAccount.of(APP, "alice", PASSWORD).hashedPasswordBase64();
    assertThat(BasicAuthAccount.of(WIKI, "alice", PASSWORD).hashedPasswordBase64())
        .isNotEqualTo(base);
    assertThat(BasicAuthAccount.of(APP, "bob", PASSWORD).hashedPasswordBase64()).isNotEqualTo(base);
    assertThat(BasicAuthAccount.of(APP, "alice", PASSWORD + "!").hashedPasswordBase64())
        .isNotEqualTo(base);
  }

  @Test
  void theSaltIsTheRouteAndUsersOwnAndDoesNotDependOnThePassword() {
    // A salt is public (it is in the hash): one derived quickly from the password would let a
    // reader of Caddy's config test guesses at HMAC speed instead of bcrypt's.
    String salt = decoded(BasicAuthAccount.of(APP, "alice", PASSWORD)).substring(7, 29);
    assertThat(decoded(BasicAuthAccount.of(APP, "alice", "another password")).substring(7, 29))
        .isEqualTo(salt);
    assertThat(decoded(BasicAuthAccount.of(WIKI, "alice", PASSWORD)).substring(7, 29))
        .isNotEqualTo(salt);
    assertThat(decoded(BasicAuthAccount.of(APP, "bob", PASSWORD)).substring(7, 29))
        .isNotEqualTo(salt);
  }

  @Test
  void thePasswordAppearsInNoStringOfTheAccount() {
    CaddyRoute.Account account = BasicAuthAccount.of(APP, "alice", PASSWORD);
    String base64OfPassword =
        Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    assertThat(account.toString())
        .contains("alice")
        .doesNotContain(PASSWORD)
        .doesNotContain("horse")
        .doesNotContain(base64OfPassword);
    assertThat(decoded(account)).doesNotContain(PASSWORD).doesNotContain("horse");
  }

  @Test
  void unusablePasswordsAreRefusedWithoutNamingThem() {
    String tooLong = "secret-" + "y".repeat(66);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "alice", tooLong))
        .withMessageContaining("72 bytes")
        .withMessageNotContaining("secret-");
    // 36 two-byte characters are 72 bytes and pass; one more is 74.
    assertThat(BasicAuthAccount.of(APP, "alice", "ä".repeat(36)).hashedPasswordBase64())
        .isNotEmpty();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "alice", "ä".repeat(37)))
        .withMessageContaining("72 bytes")
        .withMessageNotContaining("ä");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "alice", ""))
        .withMessageContaining("password is empty");
  }

  @Test
  void unusableUsernamesAreRefused() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "", PASSWORD))
        .withMessageContaining("username is empty");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "al:ice", PASSWORD))
        .withMessageContaining("colon")
        .withMessageNotContaining(PASSWORD);
    // A newline would also make "ctx" + "\n" + "a\nb" read as "ctx\na" + "\n" + "b" for the salt.
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "a\nb", PASSWORD))
        .withMessageContaining("control characters");
    assertThatNullPointerException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, null, PASSWORD))
        .withMessage("username");
    assertThatNullPointerException()
        .isThrownBy(() -> BasicAuthAccount.of(APP, "alice", null))
        .withMessage("password");
    assertThatNullPointerException()
        .isThrownBy(() -> BasicAuthAccount.of(null, "alice", PASSWORD))
        .withMessage("saltContext");
  }

  private static String decoded(CaddyRoute.Account account) {
    return new String(
        Base64.getDecoder().decode(account.hashedPasswordBase64()), StandardCharsets.US_ASCII);
  }
}
