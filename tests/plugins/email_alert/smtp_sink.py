#!/usr/bin/python3
"""A real SMTP server for test_email_alert (Debian's python3-aiosmtpd).

Listens on 127.0.0.1:<port>, writes each received message to <dir>/msg-<n>.json
({"mail_from", "rcpt_tos", "data"}), prints READY once it accepts connections,
and exits on SIGTERM. With --user/--password it requires AUTH (PLAIN/LOGIN,
allowed without TLS for the test) and accepts only that pair.
"""
import argparse
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
        }
        tmp = os.path.join(self.out_dir, ".msg-%d.tmp" % n)
        with open(tmp, "w") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(self.out_dir, "msg-%d.json" % n))
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True)
    p.add_argument("--user")
    p.add_argument("--password")
    args = p.parse_args()

    params = {}
    if args.user:
        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (isinstance(auth_data, LoginPassword)
                  and auth_data.login == args.user.encode()
                  and auth_data.password == args.password.encode())
            # handled=False: let aiosmtpd answer 535 itself (the default,
            # handled=True, would leave the client waiting for a reply).
            return AuthResult(success=ok, handled=False)
        params = dict(authenticator=authenticator, auth_required=True, auth_require_tls=False)

    controller = Controller(Sink(args.dir), hostname="127.0.0.1", port=args.port, **params)
    controller.start()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    sys.stdout.write("READY\n")
    sys.stdout.flush()
    # The test stops reading after READY: nothing may be written to the pipe later.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    done.wait()
    controller.stop()


if __name__ == "__main__":
    main()
