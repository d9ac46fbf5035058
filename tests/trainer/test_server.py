#!/usr/bin/env python3
"""Tests of `berdaya serve`, the trainer's HTTP server, against hostile and broken clients.

Usage (CTest runs it this way):
    python3 tests/trainer/test_server.py <path-to-berdaya-binary> <path-to-repo-root>

Each bad request must get a 4xx answer with a JSON {"error": ...} naming the problem and
the fix, and leave the running simulation as it was: GET /api/state answers the same
afterwards. Python 3 standard library only.
"""
import http.client
import json
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
import unittest

BINARY = None
REPO = None
STARTUP_TIMEOUT = 60


class Server:
    """A `berdaya serve` process on a free port chosen by the server itself."""

    def __init__(self, *extra):
        self.proc = subprocess.Popen(
            [BINARY, "serve", os.path.join(REPO, "scenarios", "kota-batu.toml"), "--port", "0"] + list(extra),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            universal_newlines=True)
        self.port = None
        deadline = time.time() + STARTUP_TIMEOUT
        self.banner = ""
        while time.time() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.banner += line
            m = re.search(r"http://(?:127\.0\.0\.1|0\.0\.0\.0):(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            self.stop()
            raise AssertionError("the server did not start:\n" + self.banner)

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, dict(res.getheaders()), res.read()
        finally:
            conn.close()

    def json(self, method, path, payload=None):
        body = None if payload is None else (payload if isinstance(payload, (bytes, str)) else json.dumps(payload))
        status, headers, data = self.request(method, path, body, {"Content-Type": "application/json"})
        return status, headers, json.loads(data.decode("utf-8"))

    def raw(self, data, read=True):
        """Sends raw bytes on a fresh connection; returns what came back before the close."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        try:
            s.sendall(data)
            if not read:
                return b""
            chunks = []
            while True:
                try:
                    chunk = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
            return b"".join(chunks)
        finally:
            s.close()

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stderr.close()



def read_until_close(s):
    """Everything the server sends on socket s until it closes the connection."""
    raw = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            return raw
        raw += chunk

def _complete(data):
    head, _, body = data.partition(b"\r\n\r\n")
    m = re.search(rb"content-length:\s*(\d+)", head, re.I)
    return m is None or len(body) >= int(m.group(1))


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


def parse_raw(raw):
    """(status, headers with lower-case names, body) of a raw answer."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return status_of(raw), headers, body

# The connection limits docs/trainer.md promises.
MAX_CONNECTIONS = 256
IDLE_TIMEOUT = 5.0
REQUEST_TIMEOUT = 5.0
MAX_REQUESTS = 100


class TrainerServerTest(unittest.TestCase):
    server = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        status, _, _ = cls.server.json("POST", "/api/step", {"months": 5})
        assert status == 200, status

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def state(self):
        status, _, data = self.server.json("GET", "/api/state")
        self.assertEqual(status, 200)
        return data

    def assert_error(self, status, data, expected_status, *words):
        self.assertEqual(status, expected_status, data)
        self.assertIsInstance(data, dict)
        self.assertIn("error", data)
        for w in words:
            self.assertIn(w.lower(), data["error"].lower(), data)

    def assert_intact(self, before):
        self.assertTrue(self.server.alive(), "the server died")
        after = self.state()
        self.assertEqual(after, before, "a rejected request changed the simulation")

    # --- the normal path ------------------------------------------------------------------

    def test_page_and_assets_are_embedded(self):
        for path, kind in (("/", "text/html"), ("/app.js", "javascript"), ("/style.css", "text/css")):
            status, headers, body = self.server.request("GET", path)
            self.assertEqual(status, 200, path)
            self.assertIn(kind, headers.get("Content-Type", ""), path)
            self.assertIn("default-src 'self'", headers.get("Content-Security-Policy", ""))
            self.assertGreater(len(body), 100)
        _, _, html = self.server.request("GET", "/")
        self.assertNotIn(b"http://", html.replace(b"http://www.w3.org", b""))
        self.assertNotIn(b"https://", html)

    def test_state_shape(self):
        s = self.state()
        self.assertEqual(s["month"], 5)
        self.assertEqual(s["months"], 72)
        self.assertEqual(s["scenario"], "kota-batu")
        self.assertEqual(len(s["series"]["run"]["groups_active"]), 5)
        self.assertEqual(len(s["series"]["baseline"]["groups_active"]), 5)
        self.assertTrue(all(g["name"].startswith("KUBE ") for g in s["groups"]))
        self.assertIn("formed", {e["kind"] for e in s["events"]})
        status, _, info = self.server.json("GET", "/api/info")
        self.assertEqual(status, 200)
        self.assertEqual(info["districts"], ["Batu", "Junrejo", "Bumiaji"])
        status, _, m = self.server.json("GET", "/api/map?district=2")
        self.assertEqual(status, 200)
        self.assertEqual(m["name"], "Bumiaji")
        self.assertTrue(m["ties"])

    # --- bad bodies -----------------------------------------------------------------------

    def test_malformed_json(self):
        before = self.state()
        for body in ('{"levers": ', "not json", '{"levers": {"socialization.sessions": 3,}}', "\x00\xff"):
            with self.subTest(body=body):
                status, _, data = self.server.json("POST", "/api/setup", body.encode("utf-8", "surrogateescape"))
                self.assert_error(status, data, 400, "json")
        self.assert_intact(before)

    def test_not_an_object(self):
        before = self.state()
        for body in ("[1, 2]", "42", '"text"', '{"levers": [1]}', '{"levers": {"training.hours": [1]}}'):
            with self.subTest(body=body):
                status, _, data = self.server.json("POST", "/api/setup", body)
                self.assert_error(status, data, 400)
        self.assert_intact(before)

    def test_deep_nesting(self):
        before = self.state()
        status, _, data = self.server.json("POST", "/api/setup", "[" * 20000 + "]" * 20000)
        self.assert_error(status, data, 400, "nested")
        self.assert_intact(before)

    def test_unknown_lever(self):
        before = self.state()
        status, _, data = self.server.json("POST", "/api/setup", {"levers": {"socialization.sesions": 3}})
        self.assert_error(status, data, 400, "socialization.sesions", "did you mean 'socialization.sessions'")
        status, _, data = self.server.json("POST", "/api/setup", {"levers": {"run.months": 3}})
        self.assert_error(status, data, 400, "unknown lever", "run.months")
        status, _, data = self.server.json("POST", "/api/setup", {"lever": {}})
        self.assert_error(status, data, 400, "unknown field 'lever'", "'levers'")
        self.assert_intact(before)

    def test_out_of_range_and_wrong_type(self):
        before = self.state()
        cases = [
            ({"socialization.sessions": 99}, ["socialization.sessions", "99", "[0, 24]"]),
            ({"monitoring.interval": 0}, ["monitoring.interval", "[1, 120]"]),
            ({"program.grant_per_member": -5}, ["program.grant_per_member", "out of range"]),
            ({"training.hours": 1e308 * 10}, []),
            ({"socialization.sessions": 2.5}, ["whole number"]),
            ({"training.who": "everyone"}, ["training.who", "\"all\", \"officers\""]),
            ({"training.hours": "lots"}, ["must be a number"]),
            ({"labels.per_year": True}, ["labels.per_year"]),
        ]
        for levers, words in cases:
            with self.subTest(levers=levers):
                body = json.dumps({"levers": levers}).replace("Infinity", "1e999")
                status, _, data = self.server.json("POST", "/api/setup", body)
                self.assert_error(status, data, 400, *words)
        for body, word in (({"seed": -1}, "seed"), ({"seed": "x"}, "seed"), ({"months": 0}, "months"),
                           ({"months": 10000}, "months"), ({"months": "3"}, "months")):
            path = "/api/step" if "months" in body else "/api/setup"
            with self.subTest(body=body):
                status, _, data = self.server.json("POST", path, body)
                self.assert_error(status, data, 400, word)
        status, _, data = self.server.json("GET", "/api/state?district=7")
        self.assert_error(status, data, 400, "district")
        status, _, data = self.server.json("GET", "/api/map?district=../../etc")
        self.assert_error(status, data, 400, "district")
        self.assert_intact(before)

    def test_huge_body(self):
        before = self.state()
        body = json.dumps({"levers": {"training.hours": 8}, "pad": "x" * (2 * 1024 * 1024)})
        status, _, data = self.server.json("POST", "/api/setup", body)
        self.assert_error(status, data, 400, "larger than")
        # A client that announces a huge body and never sends it gets the answer at once.
        raw = self.server.raw(b"POST /api/setup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                              b"Content-Length: 1000000000\r\n\r\n{")
        self.assertEqual(status_of(raw), 400, raw[:300])
        self.assert_intact(before)

    # --- paths and methods ----------------------------------------------------------------

    def test_path_traversal(self):
        before = self.state()
        for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd",
                     "/api/../../etc/passwd", "//etc/passwd", "/app.js/../../../etc/passwd", "/trainer/web/app.js",
                     "/CMakeLists.txt"):
            with self.subTest(path=path):
                raw = self.server.raw(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                                       % path).encode())
                self.assertIn(status_of(raw), (400, 404), raw[:300])
                self.assertNotIn(b"root:", raw)
                self.assertNotIn(b"cmake_minimum_required", raw)
        self.assert_intact(before)

    def test_wrong_method(self):
        before = self.state()
        for method, path, allow in (("GET", "/api/setup", "POST"), ("GET", "/api/step", "POST"),
                                    ("POST", "/api/state", "GET"), ("DELETE", "/api/state", "GET"),
                                    ("PUT", "/api/setup", "POST"), ("POST", "/", "GET")):
            with self.subTest(method=method, path=path):
                status, headers, data = self.server.json(method, path, "{}" if method != "GET" else None)
                self.assert_error(status, data, 405, "use " + allow)
                self.assertEqual(headers.get("Allow"), allow)
        status, _, data = self.server.json("GET", "/api/nothing")
        self.assert_error(status, data, 404)
        self.assert_intact(before)

    def test_foreign_host_is_refused(self):
        # A page elsewhere reaching this loopback server through DNS rebinding.
        before = self.state()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.putrequest("POST", "/api/step", skip_host=True)
        conn.putheader("Host", "attacker.example:80")
        conn.putheader("Content-Length", "2")
        conn.endheaders(b"{}")
        res = conn.getresponse()
        body = json.loads(res.read())
        conn.close()
        self.assert_error(res.status, body, 403, "host")
        self.assert_intact(before)

    def test_garbage_request_line(self):
        before = self.state()
        for data in (b"HELLO\r\n\r\n", b"GET\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
                     b"GET / HTTP/1.1\r\n" + b"X-Long: " + b"a" * 20000 + b"\r\n\r\n"):
            with self.subTest(data=data[:20]):
                self.server.raw(data)
                self.assertTrue(self.server.alive())
        self.assert_intact(before)

    # --- clients that go away -------------------------------------------------------------

    def test_client_disconnects_mid_request(self):
        before = self.state()
        # Half a request line, half the headers, half a body: then gone.
        for data in (b"GET /api/sta", b"POST /api/setup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
                     b"POST /api/setup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{\"levers\": {"):
            self.server.raw(data, read=False)
        self.assertTrue(self.server.alive())
        self.assert_intact(before)

    def test_client_disconnects_mid_response(self):
        before = self.state()
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
            # Reset rather than close, so the server's next write fails at once.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
            s.sendall(b"GET /api/map?district=0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            s.recv(100)
            s.close()
        time.sleep(0.5)
        self.assertTrue(self.server.alive(), "the server died when a client went away")
        self.assert_intact(before)

    # --- undecodable and absurd input: 4xx with a JSON message, never 5xx -------------------

    def assert_raw_json_error(self, raw, expected, what):
        status, headers, body = parse_raw(raw)
        self.assertEqual(status, expected, (what, raw[:300]))
        self.assertIn("application/json", headers.get("content-type", ""), what)
        data = json.loads(body.decode("utf-8"))
        self.assertIsInstance(data.get("error"), str, what)
        self.assertTrue(data["error"], what)

    def test_undecodable_addresses(self):
        before = self.state()
        for target in (b"/%ff", b"/%", b"/%f", b"/%zz", b"/%u00ff", b"/%c0%af", b"/%ed%a0%80", b"/%f4%90%80%80",
                       b"/%00", b"/a%0d%0ab", b"/\xff", b"/api/state?district=%ff", b"/api/state?district=%",
                       b"/api/map?district=%e2%82", b"/api/info?%ff=1", b"/api/step?district=\xc3"):
            with self.subTest(target=target):
                raw = self.server.raw(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                self.assert_raw_json_error(raw, 400, target)
        # The same through POST, which must not reach the session either.
        raw = self.server.raw(b"POST /api/step?district=%ff HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                              b"application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
        self.assert_raw_json_error(raw, 400, "POST with %ff")
        self.assert_intact(before)

    def test_invalid_utf8_levers(self):
        before = self.state()
        bodies = [
            b'{"levers": {"\xff\xfe": 1}}',
            b'{"levers": {"socialization.sessions\xc3": 1}}',
            b'{"levers": {"training.who": "\xc3"}}',
            b'{"levers": {"training.who": "\xed\xa0\x80"}}',
            b'{"levers": {"socialization.sessions": "\xf8\x88\x80\x80\x80"}}',
            b'{"levers": {"training.who": "\\udcff"}}',
            b'{"\xff": 1}',
            # A name cut for the message inside a two-byte character.
            ('{"levers": {"%s": 1}}' % ("a" * 79 + "\u00e9" * 10)).encode("utf-8"),
            ('{"levers": {"training.who": "%s"}}' % ("\u00e9" * 300)).encode("utf-8"),
        ]
        for body in bodies:
            with self.subTest(body=body[:60]):
                status, _, data = self.server.json("POST", "/api/setup", body)
                self.assert_error(status, data, 400)
        self.assert_intact(before)

    def test_absurd_numbers_and_types(self):
        before = self.state()
        huge = "123456789012345678901234567890"
        setup = ['{"levers": {"training.hours": NaN}}', '{"levers": {"training.hours": Infinity}}',
                 '{"levers": {"training.hours": -Infinity}}', '{"levers": {"training.hours": 1e400}}',
                 '{"levers": {"training.hours": -1e400}}', '{"levers": {"socialization.sessions": %s}}' % huge,
                 '{"levers": {"socialization.sessions": -%s}}' % huge,
                 '{"levers": {"program.grant_per_member": 18446744073709551616}}',
                 '{"levers": {"socialization.sessions": null}}', '{"levers": {"socialization.sessions": {}}}',
                 '{"levers": {"training.who": ["all"]}}', '{"levers": null}', '{"levers": "x"}', '{"levers": 1}',
                 '{"seed": 18446744073709551616}', '{"seed": 1e400}', '{"seed": %s}' % huge, '{"seed": null}',
                 '{"seed": 7.5}', '{"seed": true}', "null", "true", '"x"', "1e400"]
        step = ['{"months": NaN}', '{"months": 1e400}', '{"months": 1e20}', '{"months": %s}' % huge,
                '{"months": -%s}' % huge, '{"months": 18446744073709551615}', '{"months": -9223372036854775809}',
                '{"months": 1.5}', '{"months": null}', '{"months": true}', '{"months": []}', '{"months": {}}',
                '{"months": "1"}', "[]", "null"]
        for path, bodies in (("/api/setup", setup), ("/api/step", step)):
            for body in bodies:
                with self.subTest(path=path, body=body):
                    status, _, data = self.server.json("POST", path, body)
                    self.assert_error(status, data, 400)
        self.assert_intact(before)

    def test_unknown_routes_and_methods(self):
        before = self.state()
        for path in ("/api/nothing", "/api", "/api/", "/favicon.ico", "/index.htm"):
            with self.subTest(path=path):
                status, _, data = self.server.json("GET", path)
                self.assert_error(status, data, 404)
        for method, path, allow in (("TRACE", "/api/state", "GET"), ("PATCH", "/api/step", "POST"),
                                    ("OPTIONS", "/api/setup", "POST"), ("DELETE", "/app.js", "GET")):
            with self.subTest(method=method, path=path):
                raw = self.server.raw(("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                       "Content-Length: 0\r\nConnection: close\r\n\r\n" % (method, path)).encode())
                self.assert_raw_json_error(raw, 405, method)
                self.assertEqual(parse_raw(raw)[1].get("allow"), allow)
        self.assert_intact(before)

    def test_framing_refused(self):
        # Bodies the connection layer will not frame, headers too long: refused before
        # httplib reads them.
        before = self.state()
        for data, expected in ((b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 411),
                               (b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2x\r\n\r\n{}", 400),
                               (b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
                                b"Content-Length: 3\r\n\r\n{}", 400),
                               (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n", 431),
                               (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 414)):
            with self.subTest(data=data[:70]):
                self.assert_raw_json_error(self.server.raw(data), expected, data[:70])
        self.assert_intact(before)

    # --- setup and the levers -------------------------------------------------------------

    def test_zz_setup_applies_levers(self):
        # Runs last (by name): it changes the session the other tests share.
        status, _, s = self.server.json("POST", "/api/setup",
                                        {"levers": {"socialization.sessions": 4, "training.who": "officers",
                                                    "program.grant_per_member": 3000000}})
        self.assertEqual(status, 200, s)
        self.assertEqual(s["month"], 0)
        self.assertEqual(s["levers"]["socialization.sessions"], 4)
        self.assertEqual(s["levers"]["training.who"], "officers")
        status, _, s = self.server.json("POST", "/api/step", {"months": 6})
        self.assertEqual(s["month"], 6)
        funded = [e for e in s["events"] if e["kind"] == "funded"]
        self.assertTrue(funded)
        self.assertTrue(all(e["value"] == 3000000 * s["groups"][e["group"]]["size_formed"] for e in funded))
        # The baseline keeps the scenario's own grant.
        self.assertNotEqual(s["series"]["run"]["cost_total"], s["series"]["baseline"]["cost_total"])
        status, _, s = self.server.json("POST", "/api/step", {"months": 600})
        self.assertEqual(s["month"], 72)


class RequestRulesTest(unittest.TestCase):
    """State-changing requests: JSON only, and only from the trainer's own page."""

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.stop()

    def post(self, path, body, headers):
        status, h, data = self.server.request("POST", path, body, headers)
        self.assertNotIn("Access-Control-Allow-Origin", h)
        return status, json.loads(data.decode("utf-8"))

    def month(self):
        status, _, data = self.server.json("GET", "/api/state")
        self.assertEqual(status, 200)
        return data["month"]

    def test_cross_origin_simple_posts_are_refused(self):
        port = self.server.port
        step, setup = '{"months": 3}', '{"levers": {"socialization.sessions": 5}}'
        json_type = {"Content-Type": "application/json"}
        refused = [
            # What a form or a "simple" fetch on any page the trainer visits can send.
            ({"Content-Type": "text/plain", "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 403),
            ({"Content-Type": "text/plain;charset=UTF-8"}, 415),
            ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
            ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
            ({}, 415),
            ({"Content-Type": "application/json; charset=latin-1"}, 415),
            ({"Content-Type": "application/jsonx"}, 415),
            (dict(json_type, Origin="http://evil.example"), 403),
            (dict(json_type, Origin="null"), 403),
            (dict(json_type, Origin="http://127.0.0.1:%d" % (port + 1 if port < 65535 else port - 1)), 403),
            (dict(json_type, Origin="http://127.0.0.1"), 403),
            (dict(json_type, Origin="https://127.0.0.1:%d" % port), 403),
            (dict(json_type, Origin="http://127.0.0.1.evil.example:%d" % port), 403),
            (dict(json_type, Origin="http://evil.example/http://127.0.0.1:%d" % port), 403),
            (dict(json_type, **{"Sec-Fetch-Site": "cross-site"}), 403),
            (dict(json_type, **{"Content-Encoding": "gzip"}), 415),
        ]
        for path, body in (("/api/step", step), ("/api/setup", setup)):
            for headers, expected in refused:
                with self.subTest(path=path, headers=headers):
                    status, data = self.post(path, body, headers)
                    self.assertEqual(status, expected, data)
                    self.assertTrue(data.get("error"), data)
                    if "Content-Encoding" in headers:
                        self.assertIn("gzip", data["error"])
                    elif expected == 415:
                        self.assertIn("application/json", data["error"])
        self.assertEqual(self.month(), 0, "a refused request changed the simulation")
        # The preflight a page elsewhere would need for a JSON POST gets no CORS grant.
        status, headers, _ = self.server.request("OPTIONS", "/api/step", None, {
            "Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
        self.assertEqual(status, 405)
        self.assertNotIn("Access-Control-Allow-Origin", headers)

    def test_same_origin_json_posts_are_accepted(self):
        port = self.server.port
        steps = 0
        for origin in ("http://127.0.0.1:%d" % port, "http://localhost:%d" % port, "http://[::1]:%d" % port,
                       "HTTP://LOCALHOST:%d" % port, None):
            headers = {"Content-Type": "application/json; charset=utf-8", "Sec-Fetch-Site": "same-origin"}
            if origin:
                headers["Origin"] = origin
            with self.subTest(origin=origin):
                status, data = self.post("/api/step", '{"months": 2}', headers)
                self.assertEqual(status, 200, data)
                steps += 2
                self.assertEqual(data["month"], steps)
        status, data = self.post("/api/setup", '{"levers": {"socialization.sessions": 5}}',
                                 {"Content-Type": "application/json", "Origin": "http://127.0.0.1:%d" % port})
        self.assertEqual(status, 200, data)
        self.assertEqual(data["levers"]["socialization.sessions"], 5)
        self.assertEqual(self.month(), 0)

    def test_foreign_host_is_refused_before_origin(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.putrequest("POST", "/api/step", skip_host=True)
        conn.putheader("Host", "rebound.example:%d" % self.server.port)
        conn.putheader("Origin", "http://rebound.example:%d" % self.server.port)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", "2")
        conn.endheaders(b"{}")
        res = conn.getresponse()
        data = json.loads(res.read())
        conn.close()
        self.assertEqual(res.status, 403, data)
        self.assertIn("host", data["error"].lower())
        self.assertEqual(self.month(), 0)


class RemoteOriginTest(unittest.TestCase):
    """With --allow-remote, the page's origin is the Host its browser used."""

    def test_origin_must_match_host(self):
        # Bound to every address, but spoken to on 127.0.0.1 only.
        srv = Server("--bind", "0.0.0.0", "--allow-remote")
        try:
            def post(host, origin):
                conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
                conn.putrequest("POST", "/api/step", skip_host=True)
                conn.putheader("Host", host)
                conn.putheader("Origin", origin)
                conn.putheader("Content-Type", "application/json")
                conn.putheader("Content-Length", "2")
                conn.endheaders(b"{}")
                res = conn.getresponse()
                data = json.loads(res.read())
                conn.close()
                return res.status, data
            lan = "trainer.lan:%d" % srv.port
            for host, origin, expected in ((lan, "http://" + lan, 200), (lan, "http://TRAINER.LAN:%d" % srv.port, 200),
                                           ("127.0.0.1:%d" % srv.port, "http://127.0.0.1:%d" % srv.port, 200),
                                           (lan, "http://evil.example", 403), (lan, "http://trainer.lan", 403),
                                           (lan, "http://trainer.lan:%d" % (srv.port ^ 1), 403),
                                           ("trainer.lan", "http://trainer.lan:%d" % srv.port, 403)):
                with self.subTest(host=host, origin=origin):
                    status, data = post(host, origin)
                    self.assertEqual(status, expected, data)
            self.assertEqual(srv.json("GET", "/api/state")[2]["month"], 3)
        finally:
            srv.stop()


class SlowClientTest(unittest.TestCase):
    """Clients that send slowly, or nothing, or too many at once cannot starve the rest."""

    def setUp(self):
        self.server = Server()

    def tearDown(self):
        self.server.stop()

    def timed(self, method, path, payload=None):
        start = time.monotonic()
        status, _, data = self.server.json(method, path, payload)
        return status, data, time.monotonic() - start

    def test_slow_clients_do_not_hold_the_server(self):
        port = self.server.port
        silent = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(20)]
        partial = b"GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        slow_body = (b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 200\r\n\r\n{\"months\": 1" + b" " * 200)
        trickling = [(socket.create_connection(("127.0.0.1", port), timeout=30), partial if i < 10 else slow_body)
                     for i in range(20)]
        # A client kept alive after one request, then idle.
        idle = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        idle.request("GET", "/api/info")
        self.assertEqual(idle.getresponse().read()[:1], b"{")
        opened = time.monotonic()

        closed_at, answers = {}, {}
        stop = threading.Event()

        def trickle():
            # One byte to each slow client every 50 ms, until the server closes it.
            offset = 0
            while not stop.is_set() and len(closed_at) < len(trickling):
                for i, (sock, data) in enumerate(trickling):
                    if i in closed_at or offset >= len(data):
                        continue
                    try:
                        sock.send(data[offset:offset + 1])
                    except OSError:
                        closed_at[i] = time.monotonic()
                offset += 1
                time.sleep(0.05)

        feeder = threading.Thread(target=trickle)
        feeder.start()
        try:
            time.sleep(1.0)
            # The server answers others at once while those 40 connections hang on.
            for method, path, payload in (("GET", "/api/state", None), ("POST", "/api/step", {"months": 1}),
                                          ("GET", "/", None), ("GET", "/api/map?district=1", None)):
                with self.subTest(probe=path):
                    if path == "/":
                        start = time.monotonic()
                        status = self.server.request("GET", "/")[0]
                        elapsed = time.monotonic() - start
                    else:
                        status, _, elapsed = self.timed(method, path, payload)
                    self.assertEqual(status, 200)
                    self.assertLess(elapsed, 3.0, "a probe waited behind slow clients")
            # Then the server drops them: the silent and the idle ones closed, the slow
            # ones told 408, all within the timeouts and a margin.
            limit = IDLE_TIMEOUT + REQUEST_TIMEOUT + 3
            for i, (sock, _) in enumerate(trickling):
                sock.settimeout(max(0.1, limit - (time.monotonic() - opened)))
                try:
                    chunks = b""
                    while True:
                        chunk = sock.recv(4096)
                        if not chunk:
                            break
                        chunks += chunk
                    answers[i] = chunks
                except (socket.timeout, ConnectionResetError) as e:
                    answers[i] = e
            for i, answer in answers.items():
                with self.subTest(slow=i):
                    self.assertIsInstance(answer, bytes, "a slow client was never dropped")
                    status, headers, body = parse_raw(answer)
                    self.assertEqual(status, 408, answer[:200])
                    self.assertIn("error", json.loads(body.decode("utf-8")))
            for i, sock in enumerate(silent + [idle.sock]):
                with self.subTest(silent=i):
                    sock.settimeout(max(0.1, IDLE_TIMEOUT + 3 - (time.monotonic() - opened)))
                    try:
                        self.assertEqual(sock.recv(4096), b"", "an idle connection was answered")
                    except socket.timeout:
                        self.fail("an idle connection was kept open past %.0f s" % IDLE_TIMEOUT)
                    except ConnectionResetError:
                        pass
        finally:
            stop.set()
            feeder.join()
            for sock in silent + [t[0] for t in trickling]:
                sock.close()
            idle.close()
        # None of it reached the session: one step was taken, by the probe.
        status, data, _ = self.timed("POST", "/api/step", {"months": 1})
        self.assertEqual(status, 200)
        self.assertEqual(data["month"], 2)

    def test_connection_cap(self):
        port = self.server.port
        held = []
        try:
            for _ in range(MAX_CONNECTIONS):
                held.append(socket.create_connection(("127.0.0.1", port), timeout=30))
            time.sleep(0.3)
            # One over the cap is told at once to come back, not kept waiting.
            start = time.monotonic()
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            try:
                s.sendall(b"GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                raw = read_until_close(s)
            finally:
                s.close()
            self.assertLess(time.monotonic() - start, 2.0)
            status, headers, body = parse_raw(raw)
            self.assertEqual(status, 503, raw[:300])
            self.assertEqual(headers.get("retry-after"), "1")
            self.assertIn("error", json.loads(body.decode("utf-8")))
        finally:
            for sock in held:
                sock.close()
        # Once they are gone, the server serves again.
        deadline = time.monotonic() + 3
        while True:
            status, data, _ = self.timed("POST", "/api/step", {"months": 1})
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(status, 200, data)
        self.assertEqual(data["month"], 1)

    def test_keep_alive_is_limited(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        try:
            for i in range(MAX_REQUESTS):
                conn.request("GET", "/api/info")
                res = conn.getresponse()
                res.read()
                self.assertEqual(res.status, 200)
                if i < MAX_REQUESTS - 1:
                    self.assertIsNone(res.getheader("Connection"), i)
            self.assertEqual(res.getheader("Connection"), "close")
        finally:
            conn.close()
        # Requests sent back to back on one connection are each answered, in order.
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        try:
            s.sendall(b"GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                      b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: 13\r\n\r\n{\"months\": 2}"
                      b"GET /api/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            raw = read_until_close(s)
        finally:
            s.close()
        self.assertEqual(re.findall(rb"HTTP/1\.1 (\d{3})", raw), [b"404", b"200", b"200"])
        self.assertEqual(json.loads(raw.rsplit(b"\r\n\r\n", 1)[1])["month"], 2)


    def test_expect_continue(self):
        # A client that waits for "100 Continue" before its body gets it, once.
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        try:
            s.sendall(b"POST /api/step HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Expect: 100-continue\r\nContent-Length: 13\r\nConnection: close\r\n\r\n")
            interim = s.recv(4096)
            self.assertEqual(interim, b"HTTP/1.1 100 Continue\r\n\r\n")
            s.sendall(b'{"months": 3}')
            raw = read_until_close(s)
        finally:
            s.close()
        status, _, body = parse_raw(raw)
        self.assertEqual(status, 200, raw[:200])
        self.assertEqual(json.loads(body)["month"], 3)


MAX_SESSIONS = 16  # the browser sessions docs/trainer.md promises


class SessionTest(unittest.TestCase):
    """One simulation per browser: the page's cookie names it, and the cap refuses the rest."""

    def setUp(self):
        self.srv = Server()

    def tearDown(self):
        self.srv.stop()

    def open_page(self, cookie=None):
        return self.srv.request("GET", "/", headers={"Cookie": cookie} if cookie else {})

    def new_session(self):
        status, headers, _ = self.open_page()
        self.assertEqual(status, 200)
        set_cookie = headers.get("Set-Cookie", "")
        m = re.match(r"berdaya_session=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Strict$", set_cookie)
        self.assertIsNotNone(m, "the page must set an HttpOnly, SameSite=Strict session cookie: %r" % set_cookie)
        return "berdaya_session=" + m.group(1)

    def api(self, method, path, cookie=None, payload=None):
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        body = None if payload is None else json.dumps(payload)
        status, headers, data = self.srv.request(method, path, body, headers)
        return status, json.loads(data.decode("utf-8"))

    def test_page_keeps_a_known_session(self):
        a = self.new_session()
        status, headers, _ = self.open_page(a)
        self.assertEqual(status, 200)
        self.assertNotIn("Set-Cookie", headers, "a reload must keep the browser's session")
        # Other cookies beside it are ignored.
        status, headers, _ = self.open_page("theme=dark; " + a + "; x=1")
        self.assertNotIn("Set-Cookie", headers)

    def test_two_sessions_do_not_disturb_each_other(self):
        a, b = self.new_session(), self.new_session()
        self.assertNotEqual(a, b)
        status, st = self.api("POST", "/api/setup", a, {"levers": {"socialization.sessions": 3}, "seed": 7})
        self.assertEqual(status, 200, st)
        status, st = self.api("POST", "/api/step", a, {"months": 5})
        self.assertEqual(st["month"], 5)
        status, sb = self.api("GET", "/api/state", b)
        self.assertEqual(status, 200)
        self.assertEqual((sb["month"], sb["levers"], sb["seed"]), (0, {}, 20240101),
                         "a second browser's session must start as the scenario")
        status, sb = self.api("POST", "/api/step", b, {"months": 2})
        self.assertEqual(sb["month"], 2)
        status, sb = self.api("POST", "/api/setup", b, {})
        self.assertEqual(sb["month"], 0)
        status, sa = self.api("GET", "/api/state", a)
        self.assertEqual((sa["month"], sa["levers"], sa["seed"]), (5, {"socialization.sessions": 3}, 7))
        # Clients without the cookie share one further session, untouched by both.
        status, shared = self.api("GET", "/api/state")
        self.assertEqual(shared["month"], 0)
        self.assertEqual(shared["levers"], {})

    def test_sessions_step_side_by_side(self):
        # Four browsers stepping at once on the server's worker threads: each gets its own
        # months, and the same levers give the same story in every session.
        cookies = [self.new_session() for _ in range(4)]
        results, errors = {}, []

        def drive(cookie):
            try:
                self.api("POST", "/api/setup", cookie, {"levers": {"training.hours": 40}})
                for _ in range(12):
                    status, st = self.api("POST", "/api/step", cookie, {"months": 1})
                    if status != 200:
                        errors.append(st)
                results[cookie] = st
            except Exception as e:  # collected for the assertion below
                errors.append(repr(e))

        threads = [threading.Thread(target=drive, args=(c,)) for c in cookies]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 4)
        first = results[cookies[0]]
        for c in cookies:
            self.assertEqual(results[c]["month"], 12)
            self.assertEqual(results[c]["series"], first["series"], "sessions at the same levers must agree")
            self.assertEqual(results[c]["events"], first["events"])

    def test_unknown_session_is_told_to_reload(self):
        for cookie in ("berdaya_session=" + "0" * 32, "berdaya_session=not-an-id", "berdaya_session="):
            with self.subTest(cookie=cookie):
                status, data = self.api("POST", "/api/step", cookie, {"months": 1})
                self.assertEqual(status, 410, data)
                self.assertIn("reload the page", data["error"].lower())
                status, data = self.api("GET", "/api/state", cookie)
                self.assertEqual(status, 410, data)
                # The page itself hands out a new session.
                status, headers, _ = self.open_page(cookie)
                self.assertEqual(status, 200)
                self.assertIn("berdaya_session=", headers.get("Set-Cookie", ""))
        status, shared = self.api("GET", "/api/state")
        self.assertEqual(shared["month"], 0, "a refused request must not step the shared session")

    def test_session_cap(self):
        cookies = [self.new_session() for _ in range(MAX_SESSIONS)]
        self.assertEqual(len(set(cookies)), MAX_SESSIONS)
        status, headers, body = self.open_page()
        self.assertEqual(status, 503, "the 17th browser must be refused")
        self.assertNotIn("Set-Cookie", headers)
        self.assertEqual(headers.get("Retry-After"), "60")
        text = body.decode("utf-8")
        self.assertIn("Server penuh", text)
        self.assertIn("%d trainer sessions" % MAX_SESSIONS, text)
        # Those already open keep working, and so does the shared session.
        status, st = self.api("POST", "/api/step", cookies[0], {"months": 3})
        self.assertEqual((status, st["month"]), (200, 3))
        status, st = self.api("POST", "/api/step", cookies[-1], {"months": 1})
        self.assertEqual((status, st["month"]), (200, 1))
        status, st = self.api("POST", "/api/step", None, {"months": 2})
        self.assertEqual((status, st["month"]), (200, 2))
        status, headers, _ = self.open_page(cookies[5])
        self.assertEqual(status, 200, "a browser with a session still gets the page when the server is full")

    def test_session_cap_is_set_by_a_flag(self):
        srv = Server("--sessions", "2")
        try:
            first = srv.request("GET", "/")
            second = srv.request("GET", "/")
            third = srv.request("GET", "/")
            self.assertEqual((first[0], second[0], third[0]), (200, 200, 503))
            self.assertIn("2 trainer sessions", third[2].decode("utf-8"))
        finally:
            srv.stop()
        proc = subprocess.run([BINARY, "serve", os.path.join(REPO, "scenarios", "kota-batu.toml"), "--sessions", "0"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("--sessions", proc.stderr)


class GroupEndpointTest(unittest.TestCase):
    """GET /api/group/ID and /api/household/ID: what the page's inspect panel shows."""

    @classmethod
    def setUpClass(cls):
        cls.srv = Server()
        status, _, cls.state = cls.srv.json("POST", "/api/step", {"months": 24})
        assert status == 200, status

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()

    def get(self, path):
        status, _, data = self.srv.json("GET", path)
        return status, data

    def test_group_matches_the_state(self):
        groups = self.state["groups"]
        self.assertGreater(len(groups), 3)
        for g in groups:
            with self.subTest(group=g["id"]):
                status, d = self.get("/api/group/%d" % g["id"])
                self.assertEqual(status, 200, d)
                for k in ("name", "stage", "cause", "members", "size_formed", "capital", "cohesion", "mentor"):
                    self.assertEqual(d[k], g[k], k)
                self.assertEqual(d["month"], 24)
                if "ever" in g:  # member lists come with the groups of sub-district 0
                    self.assertEqual([p["household"] for p in d["people"]], g["ever"])
                    self.assertEqual([p["household"] for p in d["people"] if p["current"]], g["current"])
                self.assertEqual(sum(p["current"] for p in d["people"]), g["members"])
                for p in d["people"]:
                    self.assertGreater(p["poverty_line"], 0)
                    self.assertIn(p["role"], ("none", "member", "chair", "secretary", "treasurer"))
                mine = [{k: e[k] for k in ("month", "kind", "value", "value2")}
                        for e in self.state["events"] if e["group"] == g["id"]]
                self.assertEqual(d["events"], mine, "the group's history is its events")
                h = d["history"]
                self.assertEqual(h["month"][0], g["formed"])
                if g["stage"] == "inactive":
                    self.assertEqual(h["month"][-1], g["failed"])
                else:
                    self.assertEqual(h["month"][-1], 23)
                    self.assertAlmostEqual(h["capital"][-1], g["capital"], delta=abs(g["capital"]) * 1e-6 + 1)
                    self.assertEqual(h["members"][-1], g["members"])
                self.assertEqual(len(h["capital"]), len(h["month"]))

    def test_household(self):
        g = next(g for g in self.state["groups"] if g.get("current"))
        h = g["current"][0]
        status, d = self.get("/api/household/%d" % h)
        self.assertEqual(status, 200, d)
        self.assertEqual(d["group"], g["id"])
        self.assertIn(g["id"], d["groups"])
        self.assertTrue(d["recipient"])
        self.assertNotEqual(d["role"], "none")
        status, far = self.get("/api/household/0")
        self.assertEqual(status, 200)
        self.assertIn("village_name", far)

    def test_bad_ids(self):
        n = len(self.state["groups"])
        for path in ("/api/group/%d" % n, "/api/group/abc", "/api/group/-1", "/api/group/1e3", "/api/group/0x1",
                     "/api/group/99999999999999999999", "/api/household/999999999", "/api/household/x"):
            with self.subTest(path=path):
                status, d = self.get(path)
                self.assertEqual(status, 400, d)
                self.assertIn("is not a", d["error"])
        status, d = self.get("/api/group/%d" % n)
        self.assertIn("use 0 to %d" % (n - 1), d["error"])
        status, d = self.get("/api/group/")
        self.assertEqual(status, 404, d)
        status, headers, body = self.srv.request("POST", "/api/group/0", "{}", {"Content-Type": "application/json"})
        self.assertEqual(status, 405)
        self.assertEqual(headers.get("Allow"), "GET")


class ReproducibilityTest(unittest.TestCase):
    def test_same_seed_same_story(self):
        a = Server("--seed", "7")
        b = Server("--seed", "7")
        c = Server("--seed", "8")
        try:
            for srv in (a, b, c):
                for _ in range(3):
                    srv.json("POST", "/api/step", {"months": 8})
            sa, sb, sc = (srv.json("GET", "/api/state")[2] for srv in (a, b, c))
            self.assertEqual(sa["month"], 24)
            self.assertEqual(sa, sb, "the same seed gave a different state after 24 months")
            self.assertNotEqual(sa["events"], sc["events"], "another seed gave the same story")
            # Setup returns to month 0, and stepping again retells the same story.
            levers = {"levers": {"monitoring.interval": 2}, "seed": 7}
            a.json("POST", "/api/setup", levers)
            a.json("POST", "/api/step", {"months": 24})
            first = a.json("GET", "/api/state")[2]
            a.json("POST", "/api/setup", levers)
            for _ in range(24):
                a.json("POST", "/api/step", {})
            self.assertEqual(a.json("GET", "/api/state")[2], first)
            # The baseline is the scenario at the same seed, whatever the levers.
            self.assertEqual(first["series"]["baseline"], sa["series"]["baseline"])
        finally:
            for srv in (a, b, c):
                srv.stop()


class SameAsRunTest(unittest.TestCase):
    def test_trainer_retells_replicate_zero(self):
        # The trainer steps the real model: its months are replicate 0 of `berdaya run`.
        try:
            import h5py
        except ImportError:
            self.skipTest("python3-h5py is not installed")
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "r.h5")
            subprocess.run([BINARY, "run", os.path.join(REPO, "scenarios", "kota-batu.toml"), "--replicates", "1",
                            "--months", "72", "-o", out], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=300)
            with h5py.File(out, "r") as f:
                stored = {k: [float(x) for x in f["series"][k][0, 0]] for k in ("groups_active", "cost_total", "visits")}
        srv = Server()
        try:
            state = srv.json("POST", "/api/step", {"months": 72})[2]
        finally:
            srv.stop()
        for k, values in stored.items():
            self.assertEqual(state["series"]["run"][k], values, k)
            self.assertEqual(state["series"]["baseline"][k], values, k)


class BindTest(unittest.TestCase):
    def run_serve(self, *args):
        return subprocess.run([BINARY, "serve", os.path.join(REPO, "scenarios", "kota-batu.toml")] + list(args),
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=60)

    def test_non_loopback_needs_the_flag(self):
        for addr in ("0.0.0.0", "::", "192.0.2.1"):
            with self.subTest(addr=addr):
                proc = self.run_serve("--bind", addr, "--port", "0")
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("--allow-remote", proc.stderr)

    def test_non_loopback_with_flag_warns(self):
        srv = subprocess.Popen([BINARY, "serve", os.path.join(REPO, "scenarios", "kota-batu.toml"),
                                "--bind", "0.0.0.0", "--allow-remote", "--port", "0"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               universal_newlines=True)
        try:
            text = ""
            deadline = time.time() + STARTUP_TIMEOUT
            while time.time() < deadline and "open http" not in text:
                line = srv.stderr.readline()
                if not line:
                    break
                text += line
            self.assertIn("warning", text)
            self.assertIn("other machines", text)
        finally:
            srv.terminate()
            srv.wait(timeout=10)
            srv.stderr.close()

    def test_bad_scenario_and_port(self):
        proc = self.run_serve("--port", "70000")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        proc = subprocess.run([BINARY, "serve", os.path.join(REPO, "scenarios", "no-such.toml"), "--port", "0"],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("no-such.toml", proc.stderr)

    def test_port_in_use(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        try:
            proc = self.run_serve("--port", str(s.getsockname()[1]))
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("--port", proc.stderr)
        finally:
            s.close()


def main(argv):
    global BINARY, REPO
    if len(argv) != 3:
        sys.stderr.write("usage: %s <path-to-berdaya-binary> <path-to-repo-root>\n" % argv[0])
        return 2
    BINARY = os.path.abspath(argv[1])
    REPO = os.path.abspath(argv[2])
    suite = unittest.TestLoader().loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    print("%d passed, %d failed" % (result.testsRun - failed - len(result.skipped), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
