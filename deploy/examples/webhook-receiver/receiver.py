#!/usr/bin/env python3
"""A CI webhook receiver for Berth (or CNCF distribution) registry notifications.

It verifies Berth's X-Berth-Signature header, drops events it has already seen (by id), and runs a deploy command
when a manifest is pushed with a tag that matches a pattern. Standard library only; Python 3.8+.

Configuration, by environment variable:
  BERTH_WEBHOOK_SECRET   the endpoint's `secret`; required unless ALLOW_UNSIGNED=1
  ALLOW_UNSIGNED         1 to accept unsigned requests (a registry without `secret`, e.g. distribution itself)
  TAG_PATTERN            regular expression a pushed tag must match in full (default: v?MAJOR.MINOR.PATCH)
  REPOSITORY_PATTERN     regular expression the repository must match in full (default: any)
  DEPLOY_COMMAND         the command to run, split like a shell would but never run by a shell, e.g.
                         "/usr/local/bin/deploy.sh --env staging"; it gets BERTH_REPOSITORY, BERTH_TAG,
                         BERTH_DIGEST, BERTH_URL, BERTH_EVENT_ID and BERTH_ACTOR in its environment
  LISTEN                 host:port to listen on (default 127.0.0.1:8000)
  STATE_FILE             where seen event ids are kept across restarts (default ./seen-events.txt)
  SEEN_LIMIT             how many ids to remember (default 100000)
  MAX_EVENT_AGE          seconds; older events are acknowledged but not deployed (default 0: no limit)

Answers: 202 once an event is recorded (deploys run afterwards, one at a time, in the order events arrived), 401 for
a missing or wrong signature, 400 for a body that is not an event. Berth retries any answer that is not 2xx, so an
event this receiver does not care about is still answered 202.
"""

import collections
import hashlib
import hmac
import json
import os
import queue
import re
import shlex
import subprocess
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MANIFEST_TYPES = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
}
MAX_BODY = 1024 * 1024


def log(message):
    print(message, file=sys.stderr, flush=True)


class SeenIds:
    """The ids of events already taken, remembered in a file so a restart of the receiver still drops duplicates."""

    def __init__(self, path, limit):
        self.path = path
        self.limit = limit
        self.lock = threading.Lock()
        self.ids = collections.OrderedDict()
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        self.ids[line.strip()] = None
        self._trim()
        self.lines = len(self.ids)
        self._rewrite()

    def _trim(self):
        while len(self.ids) > self.limit:
            self.ids.popitem(last=False)

    def add(self, event_id):
        """True when the id is new (and now recorded on disk), False for a duplicate."""
        with self.lock:
            if event_id in self.ids:
                return False
            self.ids[event_id] = None
            self._trim()
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(event_id + "\n")
                f.flush()
                os.fsync(f.fileno())
            self.lines += 1
            if self.lines > 2 * self.limit:
                self._rewrite()
            return True

    def _rewrite(self):
        """Replaces the file with the ids remembered now, so it does not grow without end."""
        temporary = self.path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            f.write("".join(i + "\n" for i in self.ids))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.path)
        self.lines = len(self.ids)


def signature_ok(secret, header, body):
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256="):])


def registry_events(content_type, document):
    """The registry events of a request: distribution's envelope (v1 or v2) or one CloudEvent whose data is one."""
    if content_type.startswith("application/cloudevents+json"):
        data = document.get("data")
        return [data] if isinstance(data, dict) else []
    events = document.get("events")
    return [e for e in events if isinstance(e, dict)] if isinstance(events, list) else []


def too_old(event, max_age):
    if max_age <= 0 or not event.get("timestamp"):
        return False
    text = event["timestamp"]
    # Python before 3.11 reads neither 'Z' nor more than six fraction digits.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text.replace("Z", "+00:00"))
    age = datetime.now(timezone.utc) - datetime.fromisoformat(text)
    return age.total_seconds() > max_age


class Receiver:
    def __init__(self, environ):
        self.secret = environ.get("BERTH_WEBHOOK_SECRET", "")
        self.allow_unsigned = environ.get("ALLOW_UNSIGNED") == "1"
        if not self.secret and not self.allow_unsigned:
            raise SystemExit("set BERTH_WEBHOOK_SECRET (the endpoint's secret), or ALLOW_UNSIGNED=1")
        self.tag_pattern = re.compile(environ.get("TAG_PATTERN", r"v?\d+\.\d+\.\d+"))
        self.repository_pattern = re.compile(environ.get("REPOSITORY_PATTERN", r".*"))
        self.command = shlex.split(environ.get("DEPLOY_COMMAND", ""))
        if not self.command:
            raise SystemExit("set DEPLOY_COMMAND")
        self.max_age = int(environ.get("MAX_EVENT_AGE", "0"))
        self.seen = SeenIds(environ.get("STATE_FILE", "seen-events.txt"), int(environ.get("SEEN_LIMIT", "100000")))
        self.deploys = queue.Queue()
        threading.Thread(target=self._deploy_loop, name="deploys", daemon=True).start()

    def take(self, event):
        """Records one event; queues a deploy when it is a matching tag push it has not seen before."""
        event_id = event.get("id")
        if not isinstance(event_id, str) or not event_id or any(c.isspace() for c in event_id):
            return
        if not self.seen.add(event_id):
            log(f"duplicate event {event_id} dropped")
            return
        target = event.get("target") or {}
        repository, tag = target.get("repository", ""), target.get("tag", "")
        if event.get("action") != "push" or not tag or target.get("mediaType") not in MANIFEST_TYPES:
            return
        if not self.tag_pattern.fullmatch(tag) or not self.repository_pattern.fullmatch(repository):
            return
        if too_old(event, self.max_age):
            log(f"event {event_id} older than {self.max_age}s, not deployed")
            return
        self.deploys.put(event)

    def _deploy_loop(self):
        while True:
            event = self.deploys.get()
            target = event.get("target") or {}
            env = dict(os.environ,
                       BERTH_REPOSITORY=target.get("repository", ""), BERTH_TAG=target.get("tag", ""),
                       BERTH_DIGEST=target.get("digest", ""), BERTH_URL=target.get("url", ""),
                       BERTH_EVENT_ID=event.get("id", ""), BERTH_ACTOR=(event.get("actor") or {}).get("name", ""))
            log(f"deploying {env['BERTH_REPOSITORY']}:{env['BERTH_TAG']} ({env['BERTH_DIGEST']})")
            result = subprocess.run(self.command, env=env, check=False)
            log(f"deploy of {env['BERTH_REPOSITORY']}:{env['BERTH_TAG']} exited with {result.returncode}")


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > MAX_BODY:
                return self._answer(400, "body missing or too large")
            body = self.rfile.read(length)
            signature = self.headers.get("X-Berth-Signature")
            if receiver.secret and not signature_ok(receiver.secret, signature, body):
                return self._answer(401, "bad signature")
            try:
                document = json.loads(body)
            except ValueError:
                return self._answer(400, "not JSON")
            for event in registry_events(self.headers.get("Content-Type", ""), document):
                receiver.take(event)
            return self._answer(202, "accepted")

        def _answer(self, status, message):
            payload = (message + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args):
            log("%s %s" % (self.address_string(), format % args))

    return Handler


def main():
    receiver = Receiver(os.environ)
    host, _, port = os.environ.get("LISTEN", "127.0.0.1:8000").rpartition(":")
    server = ThreadingHTTPServer((host or "0.0.0.0", int(port)), handler_for(receiver))
    log(f"listening on {server.server_address[0]}:{server.server_address[1]}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
