#!/usr/bin/python3
"""Time from "create session" (POST /api/sessions) to a kernel that answers, through a server's Jupyter API.

Usage: session-start.py BASE_URL TOKEN KERNEL N [PAUSE_SECONDS]
Each round creates a session for a new notebook path with KERNEL, waits until the kernel is idle and answers
kernel_info over its WebSocket, records the time, deletes the session, then pauses (so a warm pool can refill).
"""
import json, socket, statistics, sys, time, urllib.request, uuid
import websocket


def call(base, token, method, path, body=None):
    req = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "token " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as response:
        data = response.read()
        return json.loads(data) if data else None


def kernel_info(base, token, kernel_id):
    session = uuid.uuid4().hex
    url = base.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels?session_id={session}"
    conn = websocket.create_connection(url, header=["Authorization: token " + token],
                                       sockopt=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    try:
        msg_id = uuid.uuid4().hex
        conn.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "bench",
                                         "session": session, "date": "2026-01-01T00:00:00Z", "version": "5.3"},
                              "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
        while True:
            m = json.loads(conn.recv())
            if m["msg_type"] == "kernel_info_reply" and m["parent_header"].get("msg_id") == msg_id:
                return
    finally:
        conn.close()


def main(base, token, kernel, n, pause):
    samples = []
    for i in range(n):
        time.sleep(pause)
        start = time.perf_counter()
        session = call(base, token, "POST", "api/sessions",
                       {"path": f"bench-{uuid.uuid4().hex}.ipynb", "type": "notebook", "name": "",
                        "kernel": {"name": kernel}})
        kernel_info(base, token, session["kernel"]["id"])
        samples.append(time.perf_counter() - start)
        call(base, token, "DELETE", f"api/sessions/{session['id']}")
    samples.sort()
    p = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))] * 1000
    print(f"create session -> kernel answers ({kernel}): n={n} p50 {p(0.5):.1f} ms p99 {p(0.99):.1f} ms "
          f"min {samples[0] * 1000:.1f} ms max {samples[-1] * 1000:.1f} ms mean {statistics.mean(samples) * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]) if len(sys.argv) > 5 else 0.0)
