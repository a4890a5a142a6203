#!/usr/bin/env python3
"""Plays systemd's side of Type=notify for one wiretimed run (sd_notify(3) protocol).

  notify_check.py NOTIFY_SOCKET MGMT_SOCKET DAEMON_LOG CLI READY_LOG_LINE -- COMMAND...

Binds a unix datagram socket at NOTIFY_SOCKET, starts COMMAND with NOTIFY_SOCKET in its
environment (as systemd does) and checks what a unit ordered after wiretimed.service relies on:
  - READY=1 arrives within 30 s, and at that moment the management socket already accepts a
    connection, `CLI --socket MGMT_SOCKET -c "display ntp status"` answers (exit 0), and the
    daemon's log already holds READY_LOG_LINE (the dataplane is up);
  - after SIGTERM: STOPPING=1 arrives, then the daemon exits with status 0 within 10 s.
Exit 0 when all hold; otherwise prints FAIL: ... and exits 1.
"""
import os
import signal
import socket
import subprocess
import sys
import time


def fail(message, proc=None, log=None):
    print(f"FAIL: {message}")
    if proc is not None and proc.poll() is None:
        proc.kill()
        proc.wait()
    if log and os.path.exists(log):
        print(open(log, encoding="utf-8", errors="replace").read())
    sys.exit(1)


def receive(sock, deadline, proc):
    """The next notification, or None once the deadline passed or the daemon exited."""
    while time.monotonic() < deadline:
        sock.settimeout(0.2)
        try:
            return sock.recv(4096).decode()
        except socket.timeout:
            if proc.poll() is not None:
                return None
    return None


def main():
    notify_path, mgmt_path, log_path, cli, ready_line = sys.argv[1:6]
    if sys.argv[6] != "--":
        fail("usage: notify_check.py NOTIFY MGMT LOG CLI READY_LOG_LINE -- COMMAND...")
    command = sys.argv[7:]

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)

    messages = []
    deadline = time.monotonic() + 30
    while True:
        message = receive(listener, deadline, proc)
        if message is None:
            fail(f"no READY=1 within 30 s (got {messages}, exit status {proc.poll()})", proc,
                 log_path)
        messages.append(message)
        if "READY=1" in message.split("\n"):
            break
    # At once, before anything else can happen: the socket must already accept connections.
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(mgmt_path)
    except OSError as e:
        fail(f"READY=1 arrived but {mgmt_path} refuses connections: {e}", proc, log_path)
    probe.close()
    log_text = open(log_path, encoding="utf-8", errors="replace").read()
    if ready_line not in log_text:
        fail(f"READY=1 arrived before the log said '{ready_line}'", proc, log_path)
    if "STATUS=" not in message:
        fail(f"READY=1 without STATUS= ({message!r})", proc, log_path)
    shown = subprocess.run([cli, "--socket", mgmt_path, "-c", "display ntp status"],
                           capture_output=True, text=True, timeout=20, check=False)
    if shown.returncode != 0 or "clock status" not in shown.stdout:
        fail(f"wiretime-cli after READY=1: status {shown.returncode}\n{shown.stdout}{shown.stderr}",
             proc, log_path)
    print(f"READY after {len(messages)} notification(s): {message!r}; cli answered")

    proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    stopping = False
    while not stopping:
        message = receive(listener, deadline, proc)
        if message is None:
            break
        stopping = "STOPPING=1" in message.split("\n")
    if not stopping:
        fail("no STOPPING=1 after SIGTERM", proc, log_path)
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        fail("the daemon did not exit within 10 s of SIGTERM", proc, log_path)
    if status != 0:
        fail(f"exit status {status} after SIGTERM", None, log_path)
    print("STOPPING=1 on SIGTERM, exit status 0")
    listener.close()
    os.unlink(notify_path)


if __name__ == "__main__":
    main()
