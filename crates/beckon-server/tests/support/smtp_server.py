"""A real SMTP server on a loopback port, for beckon-server's email tests (aiosmtpd).

Prints "listening <port>" once it accepts connections, then runs until its stdin closes
(the test process ends) or it is terminated. Each accepted message is written to
--maildir as <n>.eml (as received) and <n>.json (parsed by Python's email package: the
headers, and the plain-text and HTML bodies decoded), and a line "accepted <n>" is printed.

Behaviour the tests ask for:
  --user U --password P   require AUTH LOGIN/PLAIN with these (over plain text: loopback only)
  --fail-first N          answer the first N messages "451 try again later"
  --reject-to WORD        answer "550" for recipients containing WORD
  --tls-cert/--tls-key    offer STARTTLS and require it
  --port N                listen on N (default: a free port)
"""

import argparse
import asyncio
import email
import email.policy
import json
import socket
import ssl
import sys
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, maildir: Path, fail_first: int, reject_to: str | None):
        self.maildir = maildir
        self.fail_first = fail_first
        self.reject_to = reject_to
        self.accepted = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_to and self.reject_to in address:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_first > 0:
            self.fail_first -= 1
            print("deferred", flush=True)
            return "451 4.3.0 try again later"
        self.accepted += 1
        raw = envelope.original_content or envelope.content
        (self.maildir / f"{self.accepted}.eml").write_bytes(raw)
        message = email.message_from_bytes(raw, policy=email.policy.default)
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        parsed = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {k.lower(): str(v) for k, v in message.items()},
            "content_type": message.get_content_type(),
            "text": plain.get_content() if plain else None,
            "html": html.get_content() if html else None,
        }
        (self.maildir / f"{self.accepted}.json").write_text(json.dumps(parsed))
        print(f"accepted {self.accepted}", flush=True)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--maildir", type=Path, required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--reject-to")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    args.maildir.mkdir(parents=True, exist_ok=True)

    options = {}
    if args.user:
        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = (
                isinstance(auth_data, LoginPassword)
                and auth_data.login.decode() == args.user
                and auth_data.password.decode() == args.password
            )
            # handled=False: aiosmtpd answers 535 itself on a failure.
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticate, auth_required=True)
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    else:
        options.update(auth_require_tls=False)

    port = args.port or free_port()
    handler = Handler(args.maildir, args.fail_first, args.reject_to)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(f"listening {port}", flush=True)
    try:
        # Until the test closes our stdin (or ends).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    finally:
        controller.stop()


if __name__ == "__main__":
    asyncio.run(main())
