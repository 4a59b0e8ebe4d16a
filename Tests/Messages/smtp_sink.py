#!/usr/bin/env python3
"""The tests' SMTP server (aiosmtpd): accepts every message and appends it, parsed by Python's own
email package, as one JSON line to FILE: envelope, the headers the tests check, the text part
decoded, and each attachment. Usage: smtp_sink.py PORT FILE"""
import asyncio, email, email.policy, json, sys, threading
from aiosmtpd.controller import Controller

port, path = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()


class Sink:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        text, text_type, attachments = None, None, []
        for part in message.walk():
            if part.is_multipart():
                continue
            if part.get_filename():
                attachments.append({"filename": part.get_filename(), "type": part.get_content_type(),
                                    "content": part.get_content() if part.get_content_maintype() == "text" else ""})
            elif part.get_content_type() == "text/plain" and text is None:
                text, text_type = part.get_content(), part["Content-Type"]
        line = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                "subject": str(message["Subject"]), "message_id": str(message["Message-ID"]),
                "from": str(message["From"]), "to": str(message["To"]), "date": str(message["Date"]),
                "text": text, "text_type": text_type, "attachments": attachments}
        with lock, open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return "250 OK"


controller = Controller(Sink(), hostname="127.0.0.1", port=port)
controller.start()
print(f"smtp sink on 127.0.0.1:{port}", flush=True)
threading.Event().wait()
