package io.homelab.operator.reconciler.guest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.homelab.operator.api.SecretRef;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.guest.GuestSpec;
import io.homelab.operator.api.guest.ProxmoxConnection;
import io.homelab.operator.model.References;
import io.homelab.operator.model.Verdict;
import io.homelab.operator.status.ConditionStatus;
import io.homelab.operator.status.ConditionType;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Guest's ResolvedRefs verdict, without a cluster: the connection Secret and its keys. */
class GuestReconcilerTest {

  private static final String CREDENTIALS = "url tokenId tokenSecret";

  @ParameterizedTest(name = "keys [{0}], insecureSkipTlsVerify {1}: {2} {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        "url tokenId tokenSecret caBundle,             false, True,  ResolvedRefs",
        "url tokenId tokenSecret fingerprint,          false, True,  ResolvedRefs",
        "url tokenId tokenSecret caBundle fingerprint, false, True,  ResolvedRefs",
        "url tokenId tokenSecret,                      false, False, SecretKeyMissing",
        // The spec default is false; an explicit null must not turn verification off.
        "url tokenId tokenSecret,                      null,  False, SecretKeyMissing",
        "url tokenId tokenSecret,                      true,  True,  ResolvedRefs",
        "url tokenId tokenSecret caBundle,             true,  True,  ResolvedRefs",
        "tokenId tokenSecret caBundle,                 false, False, SecretKeyMissing",
        "url tokenSecret caBundle,                     false, False, SecretKeyMissing",
        "url tokenId caBundle,                         false, False, SecretKeyMissing",
        // Turning verification off does not excuse the credentials themselves.
        "tokenId tokenSecret,                          true,  False, SecretKeyMissing",
        "caBundle,                                     true,  False, SecretKeyMissing",
      })
  void theConnectionSecretNeedsCredentialsAndAWayToTrustProxmox(
      String keys, Boolean insecure, ConditionStatus status, String reason) {
    Verdict verdict = resolvedRefs(insecure, Map.of("pve", keys(keys)));

    assertThat(verdict.type()).isEqualTo(ConditionType.RESOLVED_REFS);
    assertThat(verdict.status()).isEqualTo(status);
    assertThat(verdict.reason()).isEqualTo(reason);
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource({"url", "tokenId", "tokenSecret"})
  void eachMissingCredentialIsNamed(String missing) {
    Set<String> keys = keys(CREDENTIALS + " caBundle");
    keys.remove(missing);

    Verdict verdict = resolvedRefs(false, Map.of("pve", keys));

    assertThat(verdict.reason()).isEqualTo(References.SECRET_KEY_MISSING);
    assertThat(verdict.message())
        .contains("homelab/pve")
        .contains("spec.proxmox.connectionSecretRef")
        .endsWith("has no key " + missing);
  }

  @Test
  void allMissingCredentialsAreNamedTogether() {
    Verdict verdict = resolvedRefs(false, Map.of("pve", keys("caBundle")));

    assertThat(verdict.message()).endsWith("has no key url, tokenId, tokenSecret");
  }

  @Test
  void missingCredentialsAreReportedBeforeTheMissingTrust() {
    Verdict verdict = resolvedRefs(false, Map.of("pve", keys("url tokenId")));

    assertThat(verdict.message()).contains("tokenSecret").doesNotContain("caBundle");
  }

  @Test
  void withoutCaBundleOrFingerprintTheMessageSaysWhatToAddAndHowToOptOut() {
    Verdict verdict = resolvedRefs(false, Map.of("pve", keys(CREDENTIALS)));

    assertThat(verdict.message())
        .contains("homelab/pve")
        .contains("caBundle")
        .contains("fingerprint")
        .contains("spec.proxmox.insecureSkipTlsVerify");
  }

  @Test
  void aMissingSecretIsNamedWithItsField() {
    Verdict verdict = resolvedRefs(true, Map.of("other", keys(CREDENTIALS)));

    assertThat(verdict.status()).isEqualTo(ConditionStatus.False);
    assertThat(verdict.reason()).isEqualTo(References.SECRET_NOT_FOUND);
    assertThat(verdict.message())
        .contains("homelab/pve")
        .contains("spec.proxmox.connectionSecretRef");
  }

  private static Verdict resolvedRefs(Boolean insecure, Map<String, Set<String>> secrets) {
    Guest guest = new Guest();
    guest.setMetadata(new ObjectMetaBuilder().withNamespace("homelab").withName("web").build());
    GuestSpec spec = new GuestSpec();
    ProxmoxConnection proxmox = new ProxmoxConnection();
    proxmox.setConnectionSecretRef(new SecretRef("pve"));
    proxmox.setInsecureSkipTlsVerify(insecure);
    spec.setProxmox(proxmox);
    guest.setSpec(spec);
    return GuestReconciler.resolvedRefs(guest, name -> Optional.ofNullable(secrets.get(name)));
  }

  private static Set<String> keys(String spaceSeparated) {
    return new TreeSet<>(Arrays.asList(spaceSeparated.trim().split("\\s+")));
  }
}
