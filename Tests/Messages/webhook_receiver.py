#!/usr/bin/env python3
"""The tests' webhook receiver: appends every POST as one JSON line to FILE (its Idempotency-Key,
X-Signature, Content-Type, body and the status it answered). A body whose `nama` contains
`#gagalN` is answered 500 for the first N tries of its key; `#tahan` holds the first try of its key
for 8 s before answering (a responder is killed meanwhile); `#tahanN` holds the first N.
Usage: webhook_receiver.py PORT FILE"""
import json, re, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, path = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
tries = {}


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        key = self.headers.get("Idempotency-Key", "")
        with lock:
            tries[key] = tries.get(key, 0) + 1
            n = tries[key]
        try:
            nama = json.loads(body).get("nama", "")
        except ValueError:
            nama = ""
        fail = re.search(r"#gagal(\d+)", nama)
        hold = re.search(r"#tahan(\d*)", nama)
        status = 500 if fail and n <= int(fail.group(1)) else 200
        line = {"key": key, "signature": self.headers.get("X-Signature"), "content_type": self.headers.get("Content-Type"),
                "body": body.decode("utf-8", "replace"), "status": status, "try": n, "at": time.time()}
        if hold and n <= int(hold.group(1) or "1"):
            line["held"] = True
            self.record(line)
            time.sleep(8)
        else:
            self.record(line)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def record(self, line):
        with lock, open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
print(f"webhook receiver on 127.0.0.1:{port}", flush=True)
server.serve_forever()
