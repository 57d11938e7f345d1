"""The vendor's Python SDK (yandex-b2b-go, pinned in vendor-sdk-requirements.txt), driven
through its public API against the benchmark's sandbox, for `yandex-promo-bench run
--vendor-python`. Prints one JSON object of measurements on stdout.

    python vendor_sdk.py calls BASE_URL ORDER_ID CALLS CONCURRENT_CALLS
    python vendor_sdk.py pages BASE_URL ORDER_ID PAGE_SIZE
    python vendor_sdk.py memory BASE_URL ORDER_ID PAGE_SIZE

The SDK has no setting for its base URL (it is hard-coded to the production host), so the one
private attribute `_base_url` is set; everything else goes through its managers.
"""

import asyncio
import json
import statistics
import sys
import time

from yandex_b2b_go import Client, PromocodeManager


def client(base_url):
    sdk = Client(token="bench-token")
    sdk._base_url = base_url.rstrip("/") + "/"
    return sdk


async def calls(base_url, order_id, count, concurrent):
    async with client(base_url) as sdk:
        orders = PromocodeManager(sdk).order
        await orders.get(order_id)  # a warm connection, as the Rust side has
        cpu = time.process_time()
        latencies = []
        for _ in range(count):
            started = time.perf_counter()
            await orders.get(order_id)
            latencies.append((time.perf_counter() - started) * 1e6)
        sequential_cpu = time.process_time() - cpu
        gate = asyncio.Semaphore(32)

        async def one():
            async with gate:
                await orders.get(order_id)

        cpu = time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(concurrent)))
        elapsed = time.perf_counter() - started
        concurrent_cpu = time.process_time() - cpu
    latencies.sort()
    return {
        "median_us": statistics.median(latencies),
        "p99_us": latencies[int(len(latencies) * 0.99) - 1],
        "cpu_us_per_call": sequential_cpu / count * 1e6,
        "calls_per_s": concurrent / elapsed,
        "concurrent_cpu_us_per_call": concurrent_cpu / concurrent * 1e6,
    }


async def pages(base_url, order_id, page_size, keep):
    """Every code, page by page; `keep` collects them, as a caller of the SDK must to have them."""
    async with client(base_url) as sdk:
        codes = PromocodeManager(sdk).order.code
        kept = []
        count = 0
        cursor = None
        cpu = time.process_time()
        started = time.perf_counter()
        while True:
            page = await codes.list(order_id, limit=page_size, cursor=cursor)
            count += len(page.codes)
            if keep:
                kept.extend(page.codes)
            if not page.next_cursor or page.next_cursor == cursor:
                break
            cursor = page.next_cursor
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu
    return {
        "codes": count,
        "seconds": elapsed,
        "cpu_seconds": cpu,
        "peak_rss_kib": peak_rss_kib(),
    }


def peak_rss_kib():
    """This process's peak resident memory, as the Rust probe reads it. Not `ru_maxrss`: on
    Linux that keeps the high-water mark of the process this one was forked from, here the
    benchmark with its sandbox full of codes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise SystemExit("no VmHWM in /proc/self/status")


def main():
    mode, base_url = sys.argv[1], sys.argv[2]
    if mode == "calls":
        result = asyncio.run(calls(base_url, sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
    elif mode in ("pages", "memory"):
        result = asyncio.run(pages(base_url, sys.argv[3], int(sys.argv[4]), keep=mode == "memory"))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
