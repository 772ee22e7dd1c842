package io.homelab.operator.sandbox.kube;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small OpenAPI schemas of the built-in kinds, enough for {@code kubectl explain secret} to say
 * what the main fields are. Fields beyond these are allowed: the sandbox stores what it is sent.
 */
final class BuiltInSchemas {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private BuiltInSchemas() {}

  static ObjectNode of(String kind) {
    ObjectNode schema = NODES.objectNode();
    ObjectNode p = NODES.objectNode();
    switch (kind) {
      case "Secret" -> {
        schema.put(
            "description",
            "Secret holds secret data of a certain type. The total bytes of the values in the Data"
                + " field must be less than 1 MiB.");
        OpenApi.stringMap(
            p,
            "data",
            "Data contains the secret data, each value base64-encoded. Keys are letters, digits,"
                + " '-', '_' or '.'.");
        p.putObject("immutable")
            .put("description", "If true, only metadata can be changed.")
            .put("type", "boolean");
        OpenApi.stringMap(
            p,
            "stringData",
            "stringData allows specifying non-binary secret data in string form. It is merged into"
                + " the data field on write, overwriting existing values, and never output when"
                + " reading from the API.");
        OpenApi.string(p, "type", "Used to facilitate programmatic handling of secret data.");
      }
      case "ConfigMap" -> {
        schema.put("description", "ConfigMap holds configuration data for pods to consume.");
        OpenApi.stringMap(p, "binaryData", "Binary data, each value base64-encoded.");
        OpenApi.stringMap(p, "data", "Data contains the configuration data.");
        p.putObject("immutable")
            .put("description", "If true, only metadata can be changed.")
            .put("type", "boolean");
      }
      case "Namespace" -> {
        schema.put("description", "Namespace provides a scope for Names.");
        preserved(p, "spec", "Spec defines the behavior of the Namespace.");
        ObjectNode status = preserved(p, "status", "Status describes the current status.");
        OpenApi.string(
            status.putObject("properties"), "phase", "The phase of the namespace: Active.");
      }
      case "Event" -> {
        schema.put("description", "Event is a report of an event somewhere in the cluster.");
        preserved(p, "involvedObject", "The object that this event is about.");
        OpenApi.string(p, "message", "A human-readable description of the status of this event.");
        OpenApi.string(p, "reason", "A short, machine understandable string for the transition.");
        OpenApi.string(p, "type", "Type of this event (Normal, Warning).");
      }
      case "Lease" -> {
        schema.put("description", "Lease defines a lease concept.");
        preserved(p, "spec", "The holder, duration and renew time of the lease.");
      }
      default -> {
        schema.put("description", kind + " (the sandbox publishes no schema of its fields).");
        schema.put("x-kubernetes-preserve-unknown-fields", true);
      }
    }
    schema.set("properties", p);
    schema.put("type", "object");
    return schema;
  }

  private static ObjectNode preserved(ObjectNode properties, String name, String description) {
    return properties
        .putObject(name)
        .put("description", description)
        .put("type", "object")
        .put("x-kubernetes-preserve-unknown-fields", true);
  }
}
