#!/usr/bin/python3
"""A minimal Jupyter kernel for latency benchmarks: answers at once, so that a round trip through a server measures
the server, not the kernel's own time (ipykernel's varies by several milliseconds between runs on a small machine).

It speaks just enough of the messaging protocol (5.3) for `1+1` round trips: kernel_info_request, execute_request
(status busy, execute_input, execute_result "2" for any code, execute_reply, status idle), shutdown_request, and the
heartbeat. Usage, as a kernel spec's argv: echo-kernel.py {connection_file}. Needs pyzmq (python3-zmq).
"""
import hashlib
import hmac
import json
import sys
import uuid
from datetime import datetime, timezone

import zmq

DELIM = b"<IDS|MSG>"


def main(connection_file):
    with open(connection_file) as f:
        info = json.load(f)
    key = info["key"].encode()
    session = uuid.uuid4().hex
    ctx = zmq.Context()

    def bind(kind, port_name):
        sock = ctx.socket(kind)
        sock.bind(f"{info['transport']}://{info['ip']}:{info[port_name]}")
        return sock

    shell, control = bind(zmq.ROUTER, "shell_port"), bind(zmq.ROUTER, "control_port")
    stdin, iopub = bind(zmq.ROUTER, "stdin_port"), bind(zmq.PUB, "iopub_port")
    hb = bind(zmq.REP, "hb_port")
    count = 0

    def sign(parts):
        mac = hmac.new(key, digestmod=hashlib.sha256)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode()

    def send(sock, idents, msg_type, content, parent):
        header = {"msg_id": uuid.uuid4().hex, "session": session, "username": "echo", "msg_type": msg_type,
                  "version": "5.3", "date": datetime.now(timezone.utc).isoformat()}
        parts = [json.dumps(x).encode() for x in (header, parent, {}, content)]
        sock.send_multipart(idents + [DELIM, sign(parts)] + parts)

    def status(state, parent):
        send(iopub, [b"kernel.echo.status"], "status", {"execution_state": state}, parent)

    poller = zmq.Poller()
    for sock in (shell, control, hb):
        poller.register(sock, zmq.POLLIN)
    running = True
    while running:
        for sock, _ in poller.poll():
            if sock is hb:
                hb.send(hb.recv())
                continue
            frames = sock.recv_multipart()
            at = frames.index(DELIM)
            idents, signature, parts = frames[:at], frames[at + 1], frames[at + 2:at + 6]
            if key and not hmac.compare_digest(signature, sign(parts)):
                continue
            parent = json.loads(parts[0])
            content = json.loads(parts[3])
            msg_type = parent["msg_type"]
            reply = msg_type.replace("_request", "_reply")
            if msg_type == "kernel_info_request":
                status("busy", parent)
                send(sock, idents, reply, {
                    "status": "ok", "protocol_version": "5.3", "implementation": "echo", "implementation_version": "1",
                    "banner": "echo kernel", "language_info": {"name": "python", "version": "3", "mimetype":
                                                               "text/x-python", "file_extension": ".py"}}, parent)
                status("idle", parent)
            elif msg_type == "execute_request":
                count += 1
                status("busy", parent)
                send(iopub, [b"kernel.echo.execute_input"], "execute_input",
                     {"code": content.get("code", ""), "execution_count": count}, parent)
                send(iopub, [b"kernel.echo.execute_result"], "execute_result",
                     {"execution_count": count, "data": {"text/plain": "2"}, "metadata": {}}, parent)
                send(sock, idents, reply, {"status": "ok", "execution_count": count, "user_expressions": {},
                                           "payload": []}, parent)
                status("idle", parent)
            elif msg_type == "shutdown_request":
                send(sock, idents, reply, {"status": "ok", "restart": bool(content.get("restart"))}, parent)
                running = False
            elif msg_type == "interrupt_request":
                send(sock, idents, reply, {"status": "ok"}, parent)
            else:
                status("busy", parent)
                send(sock, idents, reply, {"status": "error", "ename": "NotImplemented", "evalue": msg_type,
                                           "traceback": []}, parent)
                status("idle", parent)
    ctx.destroy(linger=0)


if __name__ == "__main__":
    main(sys.argv[1])
