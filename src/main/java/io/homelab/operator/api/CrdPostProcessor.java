package io.homelab.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.homelab.operator.api.edge.Edge;
import io.homelab.operator.api.guest.Guest;
import io.homelab.operator.api.route.Route;
import io.homelab.operator.api.tunnel.Tunnel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finishes the generated CRDs where annotations cannot reach: the kind's description at the root of
 * the schema, printer columns in the order they are declared on the kind (the generator sorts them
 * by name, which would put Age first), and conditions as a list keyed by type.
 */
public class CrdPostProcessor implements CRDPostProcessor {

  static final Map<String, Class<?>> KINDS =
      Map.of(
          "Edge", Edge.class, "Tunnel", Tunnel.class, "Route", Route.class, "Guest", Guest.class);

  @Override
  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
    if (!(crd instanceof CustomResourceDefinition definition)) {
      return crd;
    }
    Class<?> kind = KINDS.get(definition.getSpec().getNames().getKind());
    if (kind == null) {
      return crd;
    }
    for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
      JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
      KindDescription description = kind.getAnnotation(KindDescription.class);
      if (description != null) {
        root.setDescription(description.value());
      }
      JSONSchemaProps conditions =
          root.getProperties().get("status").getProperties().get("conditions");
      if (conditions != null) {
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
      }
      version.setAdditionalPrinterColumns(
          declaredOrder(kind, version.getAdditionalPrinterColumns()));
    }
    return definition;
  }

  private static List<CustomResourceColumnDefinition> declaredOrder(
      Class<?> kind, List<CustomResourceColumnDefinition> columns) {
    List<String> order =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    List<CustomResourceColumnDefinition> sorted = new ArrayList<>(columns);
    sorted.sort(
        Comparator.comparingInt(
            c -> order.indexOf(c.getName()) < 0 ? order.size() : order.indexOf(c.getName())));
    return sorted;
  }
}
