package io.berth.common.config;

/** A listen address as distribution writes it: {@code host:port}, {@code :port} (all interfaces) or {@code [v6]:port}. */
record HostPort(String host, int port) {
  static HostPort parse(String key, String addr) {
    int colon = addr.lastIndexOf(':');
    if (colon < 0) {
      throw new ConfigException(key, "expected host:port or :port, got \"" + addr + "\"");
    }
    String host = addr.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(addr.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key, "port is not a number in \"" + addr + "\"");
    }
    if (port < 0 || port > 65535) {
      throw new ConfigException(key, "port out of range in \"" + addr + "\"");
    }
    return new HostPort(host.isEmpty() ? "0.0.0.0" : host, port);
  }
}
