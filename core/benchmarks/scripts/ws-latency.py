#!/usr/bin/python3
"""1+1 execute round trips, measured by a client independent of the JVM (websocket-client, jupyter_client).

Usage:
  ws-latency.py kernel N [KERNEL]             the kernel's own time: jupyter_client straight to a local kernel
  ws-latency.py zmq N [KERNEL]                the kernel's own time with a client as light as the WebSocket one: raw
                                              pyzmq (one DEALER, one SUB) straight to a kernel jupyter_client started
  ws-latency.py ws BASE_URL TOKEN N [KERNEL]  through a server's kernel-channel WebSocket (Quire or Jupyter Server)
  ws-latency.py wsraw BASE_URL TOKEN N [KERNEL]
                                              the same over a minimal WebSocket client (a raw socket, frames parsed
                                              from one buffer, messages matched by byte search as in zmq mode), so
                                              that the client costs the same on both sides of the comparison
  ws-latency.py paired BASE_URL TOKEN N [KERNEL]
                                              zmq and wsraw in turn, one round trip each, N of each: both see the
                                              same machine; prints both and what the server adds at p50/p90/p99
  ws-latency.py versus TOKEN N BASE_URL...    as paired with several servers (e.g. two builds side by side): the kernel
                                              alone and through each server in rotation, one round trip each
  ws-latency.py legs BASE_URL TOKEN N [KERNEL]
                                              as paired, and splits each round trip by the kernel's own timestamps
                                              (the header dates of its busy and idle status): request in (sent to
                                              busy), in the kernel (busy to idle), answer out (idle to received)
Prints p50/p99/mean in ms of the time from sending execute_request to having both execute_reply and idle.
The first WARMUP round trips (environment variable, default 20) are not counted. With CHUNK set, paired also prints
what the server adds in each run of CHUNK consecutive pairs, which shows whether it drifts while the server runs.
"""
import datetime, json, os, random, socket, statistics, sys, time, urllib.request, uuid

WARMUP = int(os.environ.get("WARMUP", "20"))


def ms_at(ordered, q):
    """Quantile q of seconds already sorted, in ms (the nearest-rank value every report here uses)."""
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def added(alone, through, quantiles):
    """What `through` adds to `alone` at each named quantile, as text; both lists already sorted."""
    return ", ".join(f"{name} {ms_at(through, q) - ms_at(alone, q):+.2f} ms" for name, q in quantiles)


def report(name, samples):
    samples = sorted(samples)
    p = lambda q: ms_at(samples, q)
    print(f"{name}: n={len(samples)} p50 {p(0.5):.2f} ms p90 {p(0.9):.2f} ms p99 {p(0.99):.2f} ms "
          f"mean {statistics.mean(samples) * 1000:.2f} ms")


def kernel(n, kernel_name="python3"):
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name=kernel_name)
    try:
        samples = []
        for i in range(n + WARMUP):
            start = time.perf_counter()
            msg_id = kc.execute("1+1")
            reply = idle = False
            while not (reply and idle):
                if not reply:
                    m = kc.get_shell_msg(timeout=10)
                    reply = m["parent_header"].get("msg_id") == msg_id
                while not idle:
                    m = kc.get_iopub_msg(timeout=10)
                    idle = (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                            and m["content"]["execution_state"] == "idle")
            if i >= WARMUP:
                samples.append(time.perf_counter() - start)
        report(f"kernel {kernel_name} alone (jupyter_client)", samples)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


class ZmqKernel:
    """A kernel started by jupyter_client, driven over raw pyzmq (one DEALER, one SUB): the lightest client."""

    def __init__(self, kernel_name="python3"):
        import zmq
        from jupyter_client.manager import start_new_kernel
        self.km, kc = start_new_kernel(kernel_name=kernel_name)
        kc.stop_channels()
        info = self.km.get_connection_info()
        self.key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
        self.ctx = zmq.Context()
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.connect(f"{info['transport']}://{info['ip']}:{info['shell_port']}")
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(f"{info['transport']}://{info['ip']}:{info['iopub_port']}")
        time.sleep(0.5)  # let the SUB connect before the first request
        self.session = uuid.uuid4().hex
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)

    def sign(self, parts):
        import hashlib, hmac
        mac = hmac.new(self.key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def round_trip(self, legs=None):
        """Seconds from sending a 1+1 execute_request to having its execute_reply and idle; with a dict for legs,
        also the wall-clock times of sending and receiving and the kernel's dates of busy and idle."""
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": "execute_request", "username": "bench", "session": self.session,
                  "date": "2026-01-01T00:00:00Z", "version": "5.3"}
        content = {"code": "1+1", "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
        parts = [json.dumps(x).encode() for x in (header, {}, {}, content)]
        statuses = []
        sent = time.time()
        start = time.perf_counter()
        self.shell.send_multipart([b"<IDS|MSG>", self.sign(parts)] + parts)
        reply = idle = False
        while not (reply and idle):
            for sock, _ in self.poller.poll(10000):
                frames = sock.recv_multipart()
                at = frames.index(b"<IDS|MSG>")
                head, parent = json.loads(frames[at + 2]), json.loads(frames[at + 3])
                if parent.get("msg_id") != msg_id:
                    continue
                if sock is self.shell:
                    reply = reply or head["msg_type"] == "execute_reply"
                elif head["msg_type"] == "status":
                    state = json.loads(frames[at + 5])["execution_state"]
                    statuses.append((state, head["date"]))
                    idle = idle or state == "idle"
        elapsed = time.perf_counter() - start
        if legs is not None:
            legs.update(sent=sent, received=time.time(), statuses=statuses)
        return elapsed

    def close(self):
        self.shell.close(0)
        self.iopub.close(0)
        self.ctx.term()
        self.km.shutdown_kernel(now=True)


def raw_zmq(n, kernel_name="python3"):
    kernel = ZmqKernel(kernel_name)
    try:
        samples = [kernel.round_trip() for _ in range(n + WARMUP)][WARMUP:]
        report(f"kernel {kernel_name} alone (raw pyzmq)", samples)
    finally:
        kernel.close()


def start_kernel(base, token, kernel_name):
    req = urllib.request.Request(base + "api/kernels", data=json.dumps({"name": kernel_name}).encode(),
                                 headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))["id"]


def delete_kernel(base, token, kernel_id):
    urllib.request.urlopen(urllib.request.Request(base + f"api/kernels/{kernel_id}", method="DELETE",
                                                  headers={"Authorization": "token " + token}))


def execute_message(msg_id, session):
    """A `1+1` execute_request in the kernel WebSocket's JSON protocol."""
    return {"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "bench", "session": session,
                       "date": "2026-01-01T00:00:00Z", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": "1+1", "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}


def ws(base, token, n, kernel_name="python3"):
    import websocket
    kernel_id = start_kernel(base, token, kernel_name)
    session = uuid.uuid4().hex
    url = base.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels?session_id={session}"
    conn = websocket.create_connection(url, header=["Authorization: token " + token],
                                       sockopt=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    try:
        samples = []
        for i in range(n + WARMUP):
            msg_id = uuid.uuid4().hex
            msg = execute_message(msg_id, session)
            start = time.perf_counter()
            conn.send(json.dumps(msg))
            reply = idle = False
            while not (reply and idle):
                m = json.loads(conn.recv())
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                reply = reply or m["msg_type"] == "execute_reply"
                idle = idle or (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle")
            if i >= WARMUP:
                samples.append(time.perf_counter() - start)
        report(f"through {base} WebSocket", samples)
    finally:
        conn.close()
        delete_kernel(base, token, kernel_id)


class RawWebSocketKernel:
    """A kernel started through a server's REST API, driven over its kernel-channel WebSocket by a minimal client (a
    raw socket, frames parsed from one buffer, messages matched by byte search as in ZmqKernel), so that the client
    costs about what the raw pyzmq one does."""

    def __init__(self, base, token, kernel_name="python3"):
        import base64, re
        self.base, self.token = base, token
        self.kernel_id = start_kernel(base, token, kernel_name)
        self.session = uuid.uuid4().hex
        host, port = urllib.request.urlparse(base).hostname, urllib.request.urlparse(base).port
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /api/kernels/{self.kernel_id}/channels?session_id={self.session} HTTP/1.1\r\n"
                           f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Authorization: token {token}\r\n\r\n").encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the server closed the connection during the WebSocket upgrade")
            buf += data
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        if not head.startswith(b"HTTP/1.1 101"):
            raise SystemExit("upgrade refused: " + head.decode(errors="replace"))
        self.reply_re = re.compile(rb'"msg_type":\s*"execute_reply"')
        self.idle_re = re.compile(rb'"execution_state":\s*"idle"')

    @staticmethod
    def frame(payload):  # a masked text frame; a zero mask key leaves the payload as it is
        import struct
        n = len(payload)
        size = struct.pack("!B", 0x80 | n) if n < 126 else struct.pack("!BH", 0x80 | 126, n)
        return b"\x81" + size + b"\0\0\0\0" + payload

    def round_trip(self, legs=None):
        """Seconds from sending a 1+1 execute_request to having its execute_reply and idle; with a dict for legs,
        also the wall-clock times of sending and receiving and the kernel's dates of busy and idle."""
        import struct
        msg_id = uuid.uuid4().hex
        msg = execute_message(msg_id, self.session)
        mine = []
        sent = time.time()
        start = time.perf_counter()
        self.sock.sendall(self.frame(json.dumps(msg).encode()))
        mid = msg_id.encode()
        reply = idle = False
        buf = self.buf
        while not (reply and idle):
            while True:  # every complete frame in the buffer
                if len(buf) < 2:
                    break
                length, at = buf[1] & 0x7F, 2
                if length == 126:
                    if len(buf) < 4:
                        break
                    length, at = struct.unpack("!H", buf[2:4])[0], 4
                elif length == 127:
                    if len(buf) < 10:
                        break
                    length, at = struct.unpack("!Q", buf[2:10])[0], 10
                if len(buf) < at + length:
                    break
                payload, buf = buf[at:at + length], buf[at + length:]
                if mid in payload:
                    mine.append(payload)
                    reply = reply or self.reply_re.search(payload) is not None
                    idle = idle or self.idle_re.search(payload) is not None
            if not (reply and idle):
                data = self.sock.recv(1 << 20)
                if not data:  # the server went away: stop rather than spin on a closed socket
                    raise ConnectionError("the server closed the WebSocket")
                buf += data
        elapsed = time.perf_counter() - start
        self.buf = buf
        if legs is not None:
            received = time.time()
            messages = [json.loads(payload) for payload in mine]
            legs.update(sent=sent, received=received, statuses=[
                (m["content"]["execution_state"], m["header"]["date"]) for m in messages if m["msg_type"] == "status"])
        return elapsed

    def close(self):
        self.sock.close()
        delete_kernel(self.base, self.token, self.kernel_id)


def ws_raw(base, token, n, kernel_name="python3"):
    kernel = RawWebSocketKernel(base, token, kernel_name)
    try:
        samples = [kernel.round_trip() for _ in range(n + WARMUP)][WARMUP:]
        report(f"through {base} WebSocket (minimal client)", samples)
    finally:
        kernel.close()


def paired(base, token, n, kernel_name="python3"):
    """The kernel alone and through the server, measured in turn, one round trip each, so that both see the same
    machine: a local kernel over raw pyzmq, and a server's kernel over its WebSocket with the minimal client."""
    alone, through = ZmqKernel(kernel_name), RawWebSocketKernel(base, token, kernel_name)
    try:
        a, t = [], []
        for i in range(n + WARMUP):
            first, second = (alone, through) if i % 2 == 0 else (through, alone)
            x, y = first.round_trip(), second.round_trip()
            if i >= WARMUP:
                a.append(x if first is alone else y)
                t.append(y if first is alone else x)
        chunk = int(os.environ.get("CHUNK", "0"))
        for start in range(0, len(a) - chunk + 1, chunk) if chunk > 0 else ():
            part = lambda samples: sorted(samples[start:start + chunk])
            print(f"paired: pairs {start + 1}-{start + chunk}: the server adds "
                  + added(part(a), part(t), (("p50", 0.5), ("p99", 0.99))))
        report(f"paired: kernel {kernel_name} alone (raw pyzmq)", a)
        report(f"paired: through {base} WebSocket (minimal client)", t)
        a, t = sorted(a), sorted(t)
        print("paired: the server adds " + added(a, t, (("p50", 0.5), ("p90", 0.9), ("p99", 0.99))))
        print("paired: 95% intervals (bootstrap, 1,000 resamples) of what it adds: " + ", ".join(
            f"{name} {low:+.2f} .. {high:+.2f} ms" for name, (low, high) in
            (("p50", added_interval(a, t, 0.5)), ("p99", added_interval(a, t, 0.99)))))
    finally:
        alone.close()
        through.close()


def added_interval(alone, through, q, resamples=1000, seed=1):
    """A 95% bootstrap interval of quantile q of `through` minus quantile q of `alone` (ms): how far the difference
    of two measured percentiles can move from sampling alone, so that a p99 read from a few thousand round trips is
    not taken for more than it is."""
    rng = random.Random(seed)
    differences = sorted(ms_at(sorted(rng.choices(through, k=len(through))), q)
                         - ms_at(sorted(rng.choices(alone, k=len(alone))), q) for _ in range(resamples))
    return differences[int(0.025 * resamples)], differences[int(0.975 * resamples) - 1]


def versus(token, n, bases):
    """The kernel alone and through each server in rotation, one round trip each, so that all see the same moments;
    prints each and what each server adds."""
    kernels = [("kernel alone (raw pyzmq)", ZmqKernel())] + [(base, RawWebSocketKernel(base, token)) for base in bases]
    try:
        samples = {name: [] for name, _ in kernels}
        for i in range(n + WARMUP):
            turn = kernels[i % len(kernels):] + kernels[:i % len(kernels)]
            for name, kernel in turn:
                elapsed = kernel.round_trip()
                if i >= WARMUP:
                    samples[name].append(elapsed)
        alone = sorted(samples[kernels[0][0]])
        for name, values in samples.items():
            values = sorted(values)
            p = lambda q: ms_at(values, q)
            print(f"versus: {name:28s} p50 {p(.5):6.2f} p90 {p(.9):6.2f} p99 {p(.99):6.2f} ms"
                  + ("" if name == kernels[0][0] else
                     " | adds " + added(alone, values, (("p50", .5), ("p90", .9), ("p99", .99)))))
    finally:
        for _, kernel in kernels:
            kernel.close()


def split(legs):
    """(in, kernel, out) seconds of one round trip from its legs record."""
    dates = {state: datetime.datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp()
             for state, date in legs["statuses"]}
    return dates["busy"] - legs["sent"], dates["idle"] - dates["busy"], legs["received"] - dates["idle"]


def split_legs(base, token, n, kernel_name="python3"):
    """paired, plus where the time goes: the kernel's own dates split each round trip into request in, in the
    kernel, and answer out, for the kernel alone and through the server."""
    alone, through = ZmqKernel(kernel_name), RawWebSocketKernel(base, token, kernel_name)
    try:
        rows = {alone: [], through: []}
        for i in range(n + WARMUP):
            for kernel in ((alone, through) if i % 2 == 0 else (through, alone)):
                legs = {}
                total = kernel.round_trip(legs)
                if i >= WARMUP:
                    rows[kernel].append((total,) + split(legs))
        p = lambda values, q: ms_at(sorted(values), q)
        for column, name in enumerate(("total", "request in", "in the kernel", "answer out")):
            a, t = [r[column] for r in rows[alone]], [r[column] for r in rows[through]]
            print(f"legs: {name:13s} kernel alone p50 {p(a, .5):6.2f} p90 {p(a, .9):6.2f} ms | through "
                  f"{base} p50 {p(t, .5):6.2f} p90 {p(t, .9):6.2f} ms | adds p50 {p(t, .5) - p(a, .5):+.2f} ms")
    finally:
        alone.close()
        through.close()


if __name__ == "__main__":
    if sys.argv[1] == "kernel":
        kernel(int(sys.argv[2]), *(sys.argv[3:4]))
    elif sys.argv[1] == "zmq":
        raw_zmq(int(sys.argv[2]), *(sys.argv[3:4]))
    elif sys.argv[1] == "versus":
        versus(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    elif sys.argv[1] == "legs":
        split_legs(sys.argv[2], sys.argv[3], int(sys.argv[4]), *(sys.argv[5:6]))
    elif sys.argv[1] == "paired":
        paired(sys.argv[2], sys.argv[3], int(sys.argv[4]), *(sys.argv[5:6]))
    elif sys.argv[1] == "wsraw":
        ws_raw(sys.argv[2], sys.argv[3], int(sys.argv[4]), *(sys.argv[5:6]))
    else:
        ws(sys.argv[2], sys.argv[3], int(sys.argv[4]), *(sys.argv[5:6]))
