package io.berth.notify.delivery;

/** The outcome of one POST: the response status (0 when there was none) and, unless it was a 2xx, why it failed. */
record Attempt(int status, String error) {
  static Attempt answered(int status) {
    if (status >= 200 && status < 300) {
      return new Attempt(status, null);
    }
    return new Attempt(status, "HTTP " + status + (status < 400 ? ": redirects are not followed" : ""));
  }

  static Attempt failed(String error) {
    return new Attempt(0, error);
  }

  boolean delivered() {
    return error == null;
  }
}
