#!/usr/bin/env python3
"""Soak test: tickd for a long while under a fast, unreliable feed and a dying database.

Not part of the test command (it takes half an hour); run it on demand before a
release, see docs/OPERATIONS.md:

    scripts/soak.py --minutes 30            # after scripts/setup.sh --test

What it does, all on loopback:
- a Binance-like server (WebSocket combined streams and REST /api/v3/klines)
  streams aggTrades for --symbols symbols at --rate ticks/s, with a few hostile
  rows mixed in (NaN, far-future, negative, malformed), and drops the connection
  at random every 20 to 90 s; its klines are built from the trades it made, so
  the daemon's backfill after each drop gets real data;
- one broker outage of --outage seconds (75 by default: longer than a minute,
  so that whole 1m klines fall inside it) in the middle of the run: the stream
  refuses connections while the market goes on trading off-stream, and after
  it the daemon must backfill those minutes over REST (kline requests > 0, and
  every minute inside the outage stored with the exchange's own trade count);
- a private PostgreSQL cluster that the script kills (immediate stop) for 20 to
  40 s every few minutes; the postgres observer is `overflow: block`, so nothing
  may be lost;
- a WebSocket client of the chart that subscribes and never reads;
- a SIGHUP every minute, half of them switching a logger observer on or off.

At the end the feed goes quiet, the daemon closes what is open and the storage
catches up; then the counters must reconcile exactly:
    feed ticks        = aggregated ticks + ticks the gate rejected
    candles closed    = rows in PostgreSQL + candles counted as lost
                        (the backfilled ones among them)
and RSS must be flat after warm-up (the first five minutes, while the 1s history
fills: the second half's mean within --rss-slack of the first half's). Then the
exchange sends again and SIGTERM comes mid-stream: the daemon must exit 0 and its
last line reconcile the ticks exactly, those that came after the signal counted
as rejected at `shutdown`. It prints a Markdown table of the run for
docs/BENCHMARKS.md, and the RSS over time with where it sits (the main heap, the
other anonymous mappings: mostly the allocator's per-thread arenas), and exits 1
if any check failed.
"""
import argparse
import base64
import hashlib
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PG_BIN = "/usr/lib/postgresql/15/bin"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log(msg):
    print(time.strftime("%H:%M:%S"), msg, flush=True)


# ---------------------------------------------------------------- the exchange

class Exchange:
    """Trades for every symbol, and the 1m klines they make."""

    def __init__(self, symbols, rate, seed):
        self.symbols = symbols
        self.rate = rate
        self.rng = random.Random(seed)
        self.price = {s: 100.0 + 10 * i for i, s in enumerate(symbols)}
        self.next_id = 1
        self.klines = {s: {} for s in symbols}  # symbol -> minute -> [o, h, l, c, v, qv, n]
        self.lock = threading.Lock()
        self.quiet = threading.Event()  # set: send nothing (the end of the run)
        self.outage = threading.Event()  # set: the stream is down, the market trades on
        self.sent_ticks = 0
        self.sent_hostile = 0
        self.offstream_trades = 0

    def trade_offstream(self, seconds):
        """The market during a broker outage: trades at the same rate that only make klines."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            now_ms = int(time.time() * 1000)
            for _ in range(max(1, self.rate // 100)):
                self.trade(now_ms)
                self.offstream_trades += 1
            time.sleep(0.01)

    def trade_counts(self, minute_from, minute_to):
        """{(symbol, minute): trades} of the 1m klines in [minute_from, minute_to)."""
        with self.lock:
            return {(s, m): k[6] for s, ks in self.klines.items() for m, k in ks.items()
                    if minute_from <= m < minute_to}

    def trade(self, now_ms):
        s = self.rng.choice(self.symbols)
        p = self.price[s] * math.exp(self.rng.gauss(0, 0.0002))
        self.price[s] = p
        q = round(self.rng.uniform(0.001, 2.0), 3)
        tid = self.next_id
        self.next_id += 1
        with self.lock:
            k = self.klines[s].setdefault(now_ms // 60000 * 60000, [p, p, p, p, 0.0, 0.0, 0])
            k[1] = max(k[1], p)
            k[2] = min(k[2], p)
            k[3] = p
            k[4] += q
            k[5] += p * q
            k[6] += 1
        return {"stream": s.lower() + "@aggTrade",
                "data": {"e": "aggTrade", "E": now_ms, "s": s, "a": tid, "p": f"{p:.8f}", "q": f"{q:.3f}",
                         "f": tid, "l": tid, "T": now_ms, "m": self.rng.random() < 0.5}}

    def hostile(self, now_ms):
        s = self.rng.choice(self.symbols)
        kind = self.rng.randrange(4)
        if kind == 3:
            return '{"stream":"' + s.lower() + '@aggTrade","data":{"e":"aggTrade","s":'  # cut short
        p, t = f"{self.price[s]:.8f}", now_ms
        if kind == 0:
            p = "NaN"
        elif kind == 1:
            t = 4102444800000  # 2100-01-01
        else:
            p = "-5"
        return json.dumps({"stream": s.lower() + "@aggTrade",
                           "data": {"e": "aggTrade", "E": now_ms, "s": s, "a": 0, "p": p, "q": "1",
                                    "f": 0, "l": 0, "T": t, "m": False}})

    def kline_rows(self, symbol, start, end, limit):
        with self.lock:
            minutes = sorted(m for m in self.klines.get(symbol, {}) if start <= m <= end)[:limit]
            rows = []
            for m in minutes:
                o, h, l, c, v, qv, n = self.klines[symbol][m]
                if m + 60000 > int(time.time() * 1000):
                    continue  # not closed yet
                rows.append([m, f"{o:.8f}", f"{h:.8f}", f"{l:.8f}", f"{c:.8f}", f"{v:.8f}", m + 59999,
                             f"{qv:.8f}", n, "0", "0", "0"])
            return rows


def ws_frame(payload, opcode=0x1):
    data = payload.encode() if isinstance(payload, str) else payload
    n = len(data)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
    return head + data


def read_frame(sock):
    """One client frame (masked), or None at the end of the connection."""
    def exact(n):
        buf = b""
        while len(buf) < n:
            part = sock.recv(n - len(buf))
            if not part:
                return None
            buf += part
        return buf
    head = exact(2)
    if head is None:
        return None
    opcode, n = head[0] & 0x0F, head[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", exact(2))[0]
    elif n == 127:
        n = struct.unpack("!Q", exact(8))[0]
    mask = exact(4) if head[1] & 0x80 else b"\0\0\0\0"
    data = bytearray(exact(n) or b"")
    for i in range(len(data)):
        data[i] ^= mask[i % 4]
    return opcode, bytes(data)


class ExchangeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def make_handler(exchange, stats):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            if url.path == "/api/v3/klines":
                q = urllib.parse.parse_qs(url.query)
                rows = exchange.kline_rows(q["symbol"][0], int(q.get("startTime", ["0"])[0]),
                                           int(q.get("endTime", [str(2 ** 62)])[0]), int(q.get("limit", ["500"])[0]))
                body = json.dumps(rows).encode()
                stats["kline_requests"] += 1
                stats["kline_rows"] += len(rows)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if url.path == "/stream" and self.headers.get("Upgrade", "").lower() == "websocket":
                if exchange.outage.is_set():
                    stats["refused"] += 1
                    self.send_error(503)  # the broker is down
                    return
                self.stream()
                return
            self.send_error(404)

        def stream(self):
            key = self.headers["Sec-WebSocket-Key"]
            accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
            sock = self.connection
            stats["connections"] += 1
            closed = threading.Event()
            send_lock = threading.Lock()

            def answer_pings():
                while not closed.is_set():
                    try:
                        f = read_frame(sock)
                    except OSError:
                        f = None
                    if f is None or f[0] == 0x8:
                        closed.set()
                        return
                    if f[0] == 0x9:
                        with send_lock:
                            try:
                                sock.sendall(ws_frame(f[1], 0xA))
                            except OSError:
                                closed.set()
            threading.Thread(target=answer_pings, daemon=True).start()

            drop_at = time.monotonic() + random.uniform(20, 90)
            batch_every = 0.01
            per_batch = max(1, int(exchange.rate * batch_every))
            next_batch = time.monotonic()
            while not closed.is_set():
                if exchange.outage.is_set() or (time.monotonic() >= drop_at and not exchange.quiet.is_set()):
                    stats["drops"] += 1
                    sock.shutdown(socket.SHUT_RDWR)  # abrupt: no close frame, as a broker outage
                    break
                if exchange.quiet.is_set():
                    time.sleep(0.05)
                    continue
                now_ms = int(time.time() * 1000)
                out = bytearray()
                for _ in range(per_batch):
                    if exchange.rng.random() < 0.0005:
                        out += ws_frame(exchange.hostile(now_ms))
                        exchange.sent_hostile += 1
                    else:
                        out += ws_frame(json.dumps(exchange.trade(now_ms), separators=(",", ":")))
                        exchange.sent_ticks += 1
                try:
                    with send_lock:
                        sock.sendall(out)
                except OSError:
                    break
                next_batch += batch_every
                delay = next_batch - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                else:
                    next_batch = time.monotonic()  # the daemon is behind (back-pressure): do not burst
            closed.set()
            self.close_connection = True

    return Handler


# ---------------------------------------------------------------- PostgreSQL

class Postgres:
    def __init__(self, root):
        if not os.path.exists(PG_BIN + "/initdb"):
            sys.exit(f"soak: PostgreSQL 15 is not installed ({PG_BIN}/initdb): run scripts/setup.sh --test")
        self.dir = os.path.join(root, "pg")
        os.makedirs(self.dir)
        self.port = free_port()
        self.password = "soak-" + base64.b16encode(os.urandom(6)).decode()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(root, "postgres")
            shutil.chown(self.dir, "postgres")
        pwfile = os.path.join(self.dir, "pwfile")
        with open(pwfile, "w") as f:
            f.write(self.password + "\n")
        os.chmod(pwfile, 0o644)
        self.run("initdb", "-D", self.dir + "/data", "-U", "tickd", "--pwfile=" + pwfile,
                 "--auth=scram-sha-256", "-E", "UTF8", "--no-sync")
        self.start()

    def run(self, tool, *args):
        subprocess.run(self.as_user + [f"{PG_BIN}/{tool}", *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def start(self):
        self.run("pg_ctl", "start", "-w", "-t", "30", "-D", self.dir + "/data", "-l", self.dir + "/server.log", "-o",
                 f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self, mode):
        self.run("pg_ctl", "stop", "-w", "-m", mode, "-D", self.dir + "/data")

    def query(self, sql):
        out = subprocess.run([f"{PG_BIN}/psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "tickd", "-d", "postgres",
                              "-tAc", sql], env=dict(os.environ, PGPASSWORD=self.password), check=True,
                             capture_output=True, text=True)
        return [line for line in out.stdout.splitlines() if line]

    def count(self, sql):
        return int(self.query(sql)[0])


# ---------------------------------------------------------------- the chart client that never reads

def never_reading_client(port, symbols):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    payload = json.dumps({"type": "subscription",
                          "data": {"action": "subscribe", "symbols": symbols, "timeframes": ["1s", "1m"]}}).encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    n = len(payload)
    head = struct.pack("!BB", 0x81, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x81, 0x80 | 126, n)
    s.sendall(head + mask + masked)
    return s  # kept open, never read


# ---------------------------------------------------------------- the daemon

def health(admin):
    with urllib.request.urlopen(f"http://{admin}/health", timeout=5) as r:
        return json.loads(r.read())


def memory_kib(pid):
    """RSS and where it sits: the main heap ([heap], brk), the other anonymous
    mappings (the allocator's per-thread arenas, thread stacks, large blocks),
    file-backed pages (code, libraries); and the number of threads."""
    m = {"rss": 0, "heap": 0, "anon": 0, "file": 0, "threads": 0}
    try:
        with open(f"/proc/{pid}/smaps") as f:
            where = "anon"
            for line in f:
                first = line.split(None, 1)[0]
                if "-" in first and not first.endswith(":"):  # a mapping's header line
                    parts = line.split()
                    name = parts[5] if len(parts) > 5 else ""
                    where = "heap" if name == "[heap]" else "anon" if name == "" else "file"
                elif first == "Rss:":
                    kib = int(line.split()[1])
                    m[where] += kib
                    m["rss"] += kib
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Threads:"):
                    m["threads"] = int(line.split()[1])
    except OSError:
        pass
    return m


def write_config(path, a, ex_port, pg, admin, chart_port, with_logger):
    symbols = ", ".join(a.symbol_names)
    logger = """
  - name: extra_log
    plugin: logger
    events: [candle_closed]
    intervals: [1m]
    config: {format: json, output: %s}
""" % os.path.join(os.path.dirname(path), "extra.log") if with_logger else ""
    with open(path, "w") as f:
        f.write(f"""daemon:
  log_level: info
  admin_listen: {admin}
  shutdown_timeout: 30s
feed:
  kind: binance
  symbols: [{symbols}]
  binance:
    url: ws://127.0.0.1:{ex_port}/stream
    rest_url: http://127.0.0.1:{ex_port}
    streams: [aggTrade]
    bootstrap_klines: 0
    backfill: true
    stale_after: 10s
    reconnect: {{initial: 200ms, max: 2s}}
aggregator:
  intervals: [1s, 1m, 5m]
  history: 300
  late_ticks: drop
  gap_fill: false
  close_grace: 1s
observers:
  - name: store
    plugin: postgres
    events: [candle_closed]
    overflow: block
    config:
      port: {pg.port}
      dbname: postgres
      password: "{pg.password}"
      sslmode: disable
      connect_timeout: 2s
      retry_max: 1s
  - name: chart
    plugin: ws_broadcast
    events: [candle_update, candle_closed]
    config:
      listen: 127.0.0.1:{chart_port}
{logger}""")


def stop_line(path):
    """The numbers of the daemon's last line: ticks in, aggregated, rejected, at shutdown."""
    pattern = re.compile(r"stopped.*; ticks: (\d+) in = (\d+) aggregated \+ (\d+) rejected \((\d+) at shutdown\)")
    found = None
    with open(path, errors="replace") as f:
        for line in f:
            m = pattern.search(line)
            if m:
                found = tuple(int(x) for x in m.groups())
    return found


def backfilled_candles(path):
    """Closed candles the daemon says it filled gaps with, over the whole run."""
    pattern = re.compile(r"binance: gap filled with (\d+) closed candles")
    with open(path, errors="replace") as f:
        return sum(int(m.group(1)) for m in map(pattern.search, f) if m)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tickd", default="build/bin/tickd")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--rate", type=int, default=5000, help="ticks per second the exchange sends")
    ap.add_argument("--symbols", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rss-slack", type=float, default=0.10)
    ap.add_argument("--outage", type=float, default=75,
                    help="seconds of the one broker outage in the middle of the run (0: none)")
    ap.add_argument("--no-idle-client", action="store_true",
                    help="leave out the chart client that never reads (to compare RSS)")
    ap.add_argument("--malloc-arena-max", type=int, default=0,
                    help="run the daemon with MALLOC_ARENA_MAX set to this (to compare RSS; 0: glibc's default)")
    a = ap.parse_args()
    a.symbol_names = [f"SOAK{i:03d}USDT" for i in range(a.symbols)]
    random.seed(a.seed)
    root = tempfile.mkdtemp(prefix="tickd-soak-")
    os.chmod(root, 0o755)
    log(f"soak: {a.minutes} min, {a.rate} ticks/s over {a.symbols} symbols, files in {root}")

    exchange = Exchange(a.symbol_names, a.rate, a.seed)
    stats = {"connections": 0, "drops": 0, "kline_requests": 0, "kline_rows": 0, "refused": 0}
    server = ExchangeServer(("127.0.0.1", 0), make_handler(exchange, stats))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pg = Postgres(root)
    admin, chart_port = f"127.0.0.1:{free_port()}", free_port()
    config = os.path.join(root, "tickd.yaml")
    write_config(config, a, server.server_address[1], pg, admin, chart_port, False)
    daemon_log_path = os.path.join(root, "tickd.log")
    daemon_log = open(daemon_log_path, "w")
    env = dict(os.environ)
    if a.malloc_arena_max:
        env["MALLOC_ARENA_MAX"] = str(a.malloc_arena_max)
    daemon = subprocess.Popen([a.tickd, "--config", config], stdout=daemon_log, stderr=subprocess.STDOUT, env=env)
    failures = []
    client = None
    events = []  # (seconds, what)
    outage = {}  # start_ms, end_ms of the broker outage

    def broker_outage():
        outage["start_ms"] = int(time.time() * 1000)
        exchange.outage.set()
        time.sleep(0.2)  # the stream's sender sees it and stops trading first
        exchange.trade_offstream(a.outage - 0.2)
        outage["end_ms"] = int(time.time() * 1000)
        exchange.outage.clear()
        log(f"broker back after {a.outage:g} s")

    try:
        for _ in range(100):
            try:
                if health(admin)["status"] == "ok":
                    break
            except OSError:
                pass
            time.sleep(0.1)
        if not a.no_idle_client:
            client = never_reading_client(chart_port, a.symbol_names)

        start = time.monotonic()
        end = start + a.minutes * 60
        outage_at = start + max(90.0, a.minutes * 60 * 0.4) if a.outage > 0 else None
        outage_thread = None
        samples = []  # (seconds, memory_kib dict)
        next_hup, next_pg_kill, pg_back_at, with_logger, hups, pg_kills = start + 60, start + 120, None, False, 0, 0
        while time.monotonic() < end:
            time.sleep(5)
            now = time.monotonic()
            if daemon.poll() is not None:
                failures.append(f"the daemon exited with {daemon.returncode} during the run")
                break
            samples.append((now - start, memory_kib(daemon.pid)))
            if outage_at is not None and now >= outage_at and outage_thread is None:
                log(f"broker outage for {a.outage:g} s")
                events.append((now - start, f"broker outage {a.outage:g} s"))
                outage_thread = threading.Thread(target=broker_outage, daemon=True)
                outage_thread.start()
            if now >= next_hup:
                if hups % 2:
                    with_logger = not with_logger
                    write_config(config, a, server.server_address[1], pg, admin, chart_port, with_logger)
                daemon.send_signal(signal.SIGHUP)
                hups += 1
                next_hup = now + 60
            if pg_back_at is None and now >= next_pg_kill:
                pg.stop("immediate")
                pg_kills += 1
                pg_back_at = now + random.uniform(20, 40)
                events.append((now - start, "postgres killed"))
                log("postgres killed")
            elif pg_back_at is not None and now >= pg_back_at:
                pg.start()
                pg_back_at = None
                next_pg_kill = now + random.uniform(120, 300)
                log("postgres back")
            if len(samples) % 12 == 0:
                h = health(admin)
                log(f"rss {samples[-1][1]['rss'] // 1024} MiB (heap {samples[-1][1]['heap'] // 1024}, "
                    f"other anonymous {samples[-1][1]['anon'] // 1024}), ticks {h['feed']['ticks']}, "
                    f"state {h['feed']['state']}, drops {stats['drops']}, "
                    f"store queue {h['observers'][0]['queue_depth']}")
        if pg_back_at is not None:
            pg.start()
        if outage_thread is not None:
            outage_thread.join()

        log("quiet: the exchange stops sending; waiting for the last candles to close and be stored")
        exchange.quiet.set()
        # The largest interval is 5m: its last bucket ends at the next multiple
        # of 300 s; then close_grace and the storage's catching up.
        last_close = math.ceil(time.time() / 300) * 300 + 3
        deadline = last_close + 300
        while time.time() < deadline:
            time.sleep(5)
            if time.time() < last_close:
                continue
            h = health(admin)
            store = next(o for o in h["observers"] if o["name"] == "store")
            buffered = {m["name"]: m["value"] for m in store["metrics"]}.get("records_buffered", 0)
            if store["queue_depth"] == 0 and buffered == 0:
                break
        h = health(admin)
        store = next(o for o in h["observers"] if o["name"] == "store")
        # The gate's total counts exchange candles it refused too: those are not ticks.
        rejected_ticks = h["gate"]["rejected_total"] - h["gate"]["rejected"].get("candle", 0)
        ticks, aggregated = h["feed"]["ticks"], h["aggregator"]["ticks"]
        closed = sum(h["aggregator"]["candles_closed"].values())
        rows = pg.count("SELECT count(*) FROM candles")
        if ticks != aggregated + rejected_ticks:
            failures.append(f"ticks do not reconcile: feed {ticks} != aggregated {aggregated} + rejected {rejected_ticks}")
        if rows + store["lost"] != closed:
            failures.append(f"candles do not reconcile: closed {closed} != stored {rows} + lost {store['lost']}")

        # The outage: its minutes come from the exchange's klines (the minute
        # open at the loss is replaced whole; the minute of the first new tick
        # is built live), so each is stored with the exchange's own trade count.
        backfilled = backfilled_candles(daemon_log_path)
        outage_minutes, outage_mismatch = 0, []
        if outage:
            m_from = outage["start_ms"] // 60000 * 60000
            m_to = outage["end_ms"] // 60000 * 60000
            want = exchange.trade_counts(m_from, m_to)
            got = {}
            for line in pg.query("SELECT symbol, open_time, trade_count FROM candles "
                                 f"WHERE interval_s = 60 AND open_time >= {m_from} AND open_time < {m_to}"):
                sym, t, n = line.split("|")
                got[(sym, int(t))] = int(n)
            outage_minutes = len(want)
            outage_mismatch = [k for k in want if got.get(k) != want[k]]
            if stats["kline_requests"] == 0 or backfilled == 0:
                failures.append(f"no backfill after the outage: {stats['kline_requests']} kline requests, "
                                f"{backfilled} candles backfilled")
            if outage_minutes == 0 or outage_mismatch:
                failures.append(f"outage minutes not backfilled exactly: {len(outage_mismatch)} of {outage_minutes} "
                                f"differ, e.g. {[(k, want[k], got.get(k)) for k in outage_mismatch[:3]]}")

        # Warm-up: the 1s history rings (300 candles each) fill in the first
        # five minutes. After it, the first and the second half must match.
        steady = [m["rss"] for t, m in samples if t >= 300]
        half = len(steady) // 2
        early = sum(steady[:half]) / max(1, half)
        late = sum(steady[half:]) / max(1, len(steady) - half)
        if half < 6:
            failures.append("too short to judge RSS: run at least 7 minutes")
        elif late > early * (1 + a.rss_slack):
            failures.append(f"RSS grew after warm-up: {early / 1024:.0f} MiB, then {late / 1024:.0f} MiB")

        # SIGTERM mid-stream: the ticks that come after it are counted (rejected
        # at shutdown) and the last line reconciles exactly.
        exchange.quiet.clear()
        before = h["feed"]["ticks"]
        resume_deadline = time.monotonic() + 60
        while time.monotonic() < resume_deadline and health(admin)["feed"]["ticks"] < before + a.rate * 5:
            time.sleep(0.5)
        daemon.send_signal(signal.SIGTERM)
        code = daemon.wait(timeout=60)
        if code != 0:
            failures.append(f"SIGTERM: exit status {code}")
        daemon_log.flush()
        final = stop_line(daemon_log_path)
        if final is None:
            failures.append("the daemon's last line has no tick account")
        elif final[0] != final[1] + final[2]:
            failures.append(f"ticks at the stop do not reconcile: {final[0]} != {final[1]} + {final[2]}")
        if client:
            client.close()

        print()
        print(f"| soak ({a.minutes:g} min, {a.rate} ticks/s sent, {a.symbols} symbols) | value |")
        print("|---|---|")
        for name, value in [
            ("ticks sent / hostile rows sent", f"{exchange.sent_ticks} / {exchange.sent_hostile}"),
            ("feed ticks = aggregated + rejected", f"{ticks} = {aggregated} + {rejected_ticks}"),
            ("decode errors", h["feed"]["decode_errors"]),
            ("gate rejections by reason", h["gate"]["rejected"]),
            ("connections served / planned drops / feed reconnects / kline requests",
             f"{stats['connections']} / {stats['drops']} / {h['feed']['reconnects']} / {stats['kline_requests']}"),
            ("broker outage: seconds / connections refused / trades made off-stream",
             f"{a.outage:g} / {stats['refused']} / {exchange.offstream_trades}"),
            ("kline rows served / candles backfilled (log) / outage minutes stored with the exchange's trade count",
             f"{stats['kline_rows']} / {backfilled} / {outage_minutes - len(outage_mismatch)} of {outage_minutes}"),
            ("PostgreSQL kills / SIGHUPs", f"{pg_kills} / {hups}"),
            ("candles closed = stored + lost", f"{closed} = {rows} + {store['lost']}"),
            ("RSS after warm-up, first half / second half (MiB)", f"{early / 1024:.1f} / {late / 1024:.1f}"),
            ("SIGTERM mid-stream: ticks in = aggregated + rejected (at shutdown)",
             f"{final[0]} = {final[1]} + {final[2]} ({final[3]})" if final else "missing"),
            ("exit status after SIGTERM", code),
        ]:
            print(f"| {name} | {value} |")
        print()
        print("| minute | RSS MiB | main heap | other anonymous | file-backed | threads | events |")
        print("|---|---|---|---|---|---|---|")
        for i, (t, m) in enumerate(samples):
            if i % 12 != 11 and i != len(samples) - 1:
                continue
            happened = ", ".join(w for et, w in events if t - 60 < et <= t)
            print(f"| {t / 60:.0f} | {m['rss'] / 1024:.1f} | {m['heap'] / 1024:.1f} | {m['anon'] / 1024:.1f} | "
                  f"{m['file'] / 1024:.1f} | {m['threads']} | {happened} |")
        print()
    finally:
        if daemon.poll() is None:
            daemon.kill()
        server.shutdown()
        try:
            pg.stop("fast")
        except subprocess.CalledProcessError:
            pass
    for f in failures:
        print("FAILED:", f)
    print(f"daemon log: {daemon_log_path}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
