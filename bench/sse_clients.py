"""N concurrent SSE clients in one asyncio process: `python -m bench.sse_clients URL N EXPECTED TIMEOUT`.

Prints `ready` once every client has its stream open, then one JSON line: the latencies (ms, receipt
time minus the `sent` stamp the sender put in each event) of every client and every event received.
"""

import asyncio
import json
import sys
import time
from urllib.parse import urlsplit


async def client(host, port, path, ready: asyncio.Event, opened: list, latencies: list, expected, done):
    reader, writer = await asyncio.open_connection(host, port, limit=2**20)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    got = 0
    event = ""
    try:
        while got < expected:
            line = await reader.readline()
            if not line:
                break
            text = line.decode().rstrip("\r\n")
            if text.startswith("event: "):
                event = text[7:]
                if event == "stream-open":
                    opened.append(1)
                    if len(opened) == done["n"]:
                        ready.set()
            elif text.startswith("data: ") and event == "bench":
                latencies.append((time.time() - json.loads(text[6:])["sent"]) * 1000)
                got += 1
    finally:
        writer.close()


async def main(url: str, n: int, expected: int, timeout: float) -> None:
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    ready, opened, latencies = asyncio.Event(), [], []
    done = {"n": n}
    tasks = []
    for _ in range(n):
        tasks.append(asyncio.create_task(
            client(parts.hostname, parts.port, path, ready, opened, latencies, expected, done)))  # fmt: skip
        await asyncio.sleep(0.002)  # a crowd arriving over two seconds, not one SYN flood
    try:
        await asyncio.wait_for(ready.wait(), timeout)
    except TimeoutError:
        pass
    print(f"ready {len(opened)}", flush=True)
    finished, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    errors = sum(1 for t in finished if t.exception() is not None)
    print(json.dumps({"opened": len(opened), "errors": errors, "latencies": latencies}), flush=True)


if __name__ == "__main__":
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])))
