package io.homelab.operator.sandbox.proxmox;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A fresh self-signed certificate, as Proxmox VE makes at install time: an EC P-256 key, valid for
 * {@code 127.0.0.1} only. The JDK has no public certificate builder, so the few DER structures of
 * an X.509 v3 certificate are written here.
 */
final class SelfSignedCertificate {

  private static final int[] CN = {2, 5, 4, 3};
  private static final int[] ECDSA_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
  private static final int[] SUBJECT_ALT_NAME = {2, 5, 29, 17};
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  final X509Certificate certificate;
  final KeyPair keyPair;

  private SelfSignedCertificate(X509Certificate certificate, KeyPair keyPair) {
    this.certificate = certificate;
    this.keyPair = keyPair;
  }

  static SelfSignedCertificate generate(String commonName) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keyPair = generator.generateKeyPair();
    byte[] name = seq(set(seq(oid(CN), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] algorithm = seq(oid(ECDSA_SHA256));
    Instant now = Instant.now();
    byte[] validity =
        seq(utcTime(now.minus(Duration.ofDays(1))), utcTime(now.plus(Duration.ofDays(3650))));
    byte[] altNames = seq(tlv(0x87, new byte[] {127, 0, 0, 1}));
    byte[] extensions = tlv(0xa3, seq(seq(oid(SUBJECT_ALT_NAME), tlv(0x04, altNames))));
    byte[] tbs =
        seq(
            tlv(0xa0, integer(BigInteger.TWO)),
            integer(new BigInteger(64, new SecureRandom()).add(BigInteger.ONE)),
            algorithm,
            name,
            validity,
            name,
            keyPair.getPublic().getEncoded(),
            extensions);
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(keyPair.getPrivate());
    signature.update(tbs);
    byte[] signed = signature.sign();
    byte[] bits = new byte[signed.length + 1];
    System.arraycopy(signed, 0, bits, 1, signed.length);
    byte[] der = seq(tbs, algorithm, tlv(0x03, bits));
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    return new SelfSignedCertificate(certificate, keyPair);
  }

  /** A key store holding the key and certificate under the alias {@code pve}. */
  KeyStore keyStore(char[] password) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try {
      store.load(null, password);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    store.setKeyEntry(
        "pve", keyPair.getPrivate(), password, new java.security.cert.Certificate[] {certificate});
    return store;
  }

  /** SHA-256 of the certificate, as Proxmox shows it: upper-case hex pairs joined by colons. */
  String fingerprint() throws GeneralSecurityException {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
  }

  String pem() throws GeneralSecurityException {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }

  private static byte[] utcTime(Instant instant) {
    return tlv(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] oid(int[] arcs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(40 * arcs[0] + arcs[1]);
    for (int i = 2; i < arcs.length; i++) {
      int arc = arcs[i];
      int shift = 28;
      while (shift > 0 && (arc >>> shift) == 0) {
        shift -= 7;
      }
      for (; shift > 0; shift -= 7) {
        out.write(0x80 | ((arc >>> shift) & 0x7f));
      }
      out.write(arc & 0x7f);
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = value.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else {
      out.write(0x82);
      out.write(length >>> 8);
      out.write(length & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
