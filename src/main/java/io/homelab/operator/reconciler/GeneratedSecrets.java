package io.homelab.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.homelab.operator.model.OwnerMarker;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Secrets the operator makes itself (generated keys, the home end's config). They carry the owner
 * marker as an annotation, and an ownerReference only when the object's deletionPolicy is Delete:
 * re-creating an object with Retain finds its keys again.
 */
public final class GeneratedSecrets {

  private static final Logger LOG = Logger.getLogger(GeneratedSecrets.class);

  public static final String OWNER_ANNOTATION = "homelab.io/owner";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  private GeneratedSecrets() {}

  /** The decoded data of a Secret, or empty when there is none. */
  public static Optional<Map<String, String>> read(
      KubernetesClient client, String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    return Optional.ofNullable(secret).map(GeneratedSecrets::decode);
  }

  /** A Secret's data and stringData, decoded. */
  public static Map<String, String> decode(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    return data;
  }

  /** Creates or updates the Secret so that it holds exactly {@code data}; no write when it does. */
  public static void ensure(
      KubernetesClient client,
      HasMetadata owner,
      OwnerMarker marker,
      boolean ownedForDeletion,
      String name,
      Map<String, String> data) {
    String namespace = owner.getMetadata().getNamespace();
    Map<String, String> current = read(client, namespace, name).orElse(null);
    if (data.equals(current)) {
      return;
    }
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach(
        (k, v) ->
            encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    SecretBuilder secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(MANAGED_BY, "homelab-operator")
            .addToAnnotations(OWNER_ANNOTATION, marker.text())
            .endMetadata()
            .withType("Opaque")
            .withData(encoded);
    if (ownedForDeletion) {
      secret
          .editMetadata()
          .withOwnerReferences(
              List.of(
                  new OwnerReferenceBuilder()
                      .withApiVersion(owner.getApiVersion())
                      .withKind(owner.getKind())
                      .withName(owner.getMetadata().getName())
                      .withUid(owner.getMetadata().getUid())
                      .build()))
          .endMetadata();
    }
    if (current == null) {
      client.resource(secret.build()).create();
    } else {
      client
          .secrets()
          .inNamespace(namespace)
          .withName(name)
          .edit(
              s -> {
                s.setData(encoded);
                s.setStringData(null);
                return s;
              });
    }
    LOG.infof(
        "Secret %s/%s %s for %s",
        namespace, name, current == null ? "created" : "updated", marker.text());
  }

  /** Deletes the Secret if the marker says it is the owner's. */
  public static void delete(
      KubernetesClient client, String namespace, String name, OwnerMarker marker) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret != null
        && secret.getMetadata().getAnnotations() != null
        && marker.text().equals(secret.getMetadata().getAnnotations().get(OWNER_ANNOTATION))) {
      client.resource(secret).delete();
      LOG.infof("Secret %s/%s deleted with its owner %s", namespace, name, marker.text());
    }
  }
}
