#!/bin/sh
# The image's entrypoint, as registry:2's: a config file (or nothing) serves it; a registry command runs it; anything
# else runs as given (`docker run … berth sh`, `bin/registry garbage-collect …`).
set -e

case "$1" in
  '') set -- registry serve "${REGISTRY_CONFIGURATION_PATH:-/etc/docker/registry/config.yml}" ;;
  *.yaml|*.yml) set -- registry serve "$@" ;;
  serve|garbage-collect|check-config|healthcheck|help|-*) set -- registry "$@" ;;
esac

exec "$@"
