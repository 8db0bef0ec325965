"""One rank of PyTorch's gloo all_reduce on loopback, timed like bench/AllReduce (median, MB = 10^6 bytes).

Run with Debian's /usr/bin/python3 (python3-torch). bench/allreduce.sh starts one process per rank.
"""
import argparse
import statistics
import time

import torch
import torch.distributed as dist


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rank", type=int, required=True)
    parser.add_argument("--world", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mb", default="4,40")
    parser.add_argument("--iterations", type=int, default=20)
    # Same warm-up volume as bench/AllReduce (BenchArgs.WarmupIterations), so both are measured in their steady state.
    parser.add_argument("--warmup-mb", type=int, default=2000)
    args = parser.parse_args()

    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{args.port}", rank=args.rank, world_size=args.world)
    for megabytes in (int(s) for s in args.mb.split(",")):
        values = torch.empty(megabytes * 1_000_000 // 4, dtype=torch.float32)
        warmup = max(3, -(-args.warmup_mb // megabytes))
        times = []
        cpu = 0.0
        for i in range(warmup + args.iterations):
            values.fill_(args.rank + 1)
            cpu_start = time.process_time()
            start = time.perf_counter()
            dist.all_reduce(values)
            elapsed = (time.perf_counter() - start) * 1e3
            if i >= warmup:
                times.append(elapsed)
                cpu += time.process_time() - cpu_start
        expected = args.world * (args.world + 1) / 2
        if not bool((values == expected).all()):
            raise SystemExit(f"rank {args.rank}: wrong sum")
        if args.rank == 0:
            median = statistics.median(times)
            print(f"result impl=gloo world={args.world} mb={megabytes} median_ms={median:.3f} min_ms={min(times):.3f} "
                  f"gbps={megabytes * 1e6 / (median / 1e3) / 1e9:.3f} cpu_ms={cpu * 1e3 / len(times):.3f} n={len(times)}", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
