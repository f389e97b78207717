package io.berth.common.oci;

/** What follows {@code /manifests/}: a tag or a digest, never both. */
public record Reference(Tag tag, Digest digest) {

  public static Reference parse(String text) {
    if (Digest.isDigest(text)) {
      return new Reference(null, Digest.parse(text));
    }
    return new Reference(Tag.parse(text), null);
  }

  public boolean isDigest() {
    return digest != null;
  }

  @Override
  public String toString() {
    return isDigest() ? digest.toString() : tag.value();
  }
}
