#!/usr/bin/env python3
"""Macro benchmark: the sample NFSv3 server under its load driver, per configuration.

usage: macro.py --results DIR --java JAVA --cp CLASSPATH --agent AGENT.jar --jfc lockdep4j.jfc
                --nfs-opts samples/lockdep4j-agent.properties [--reps 3] [--warmup 30] [--seconds 20]
                [--threads 4] [--configs baseline,jfr,lockdep4j,lockdep4j-nfs] [--idle-wait 120]

Each run: the load driver (NfsLoadDriverMain, its own JVM, never instrumented) starts first, loads
its classes and waits for the server's port; then the server (NfsServerMain, the configuration's JVM
options, hazards off) is launched. Start-up is measured from that launch to the server's "listening"
line (with the server's CPU time by then) and to the driver's first reply (a MOUNT). The driver then
runs the mix for --warmup seconds (excluded) and --seconds measured; the server's CPU time
(/proc/PID/stat utime+stime) is sampled at the start and end of the measured phase, and the trend
(second half / first half of the measured phase's per-second throughput) flags runs still warming
up. Then the server gets SIGTERM (JFR dumps on exit). Configurations are interleaved: rep 1 runs
A B C D, rep 2 A B C D, ...

Writes DIR/macro.json (settings, configurations, one entry per run) and DIR/macro/<config>-<rep>.*
(the four output streams of each run, and the configuration's recording).
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

SERVER = "io.lockdep4j.samples.nfs.NfsServerMain"
DRIVER = "io.lockdep4j.samples.nfs.load.NfsLoadDriverMain"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(msg):
    print(f"macro.py: {msg}", file=sys.stderr, flush=True)


def configurations(a, rundir):
    """name -> (description, rep -> (server JVM options, recording path or None))."""
    def jfr(name, rep, *settings):
        rec = os.path.join(rundir, f"{name}-{rep}.jfr")
        opt = ("-XX:StartFlightRecording:" + ",".join("settings=" + s for s in settings)
               + f",filename={rec},dumponexit=true")
        return opt, rec

    def baseline(rep):
        return [], None

    def jfr_only(rep):
        opt, rec = jfr("jfr", rep, "default")
        return [opt], rec

    def agent(rep):
        opt, rec = jfr("lockdep4j", rep, "default", a.jfc)
        return [f"-javaagent:{a.agent}", opt], rec

    def agent_nfs(rep):
        opt, rec = jfr("lockdep4j-nfs", rep, "default", a.jfc)
        return [f"-javaagent:{a.agent}=config={a.nfs_opts}", opt], rec

    return {
        "baseline": ("no agent, no JFR", baseline),
        "jfr": ("JFR only: `-XX:StartFlightRecording:settings=default`", jfr_only),
        "lockdep4j": ("`-javaagent:lockdep4j-agent.jar` with default agent options + JFR "
                      "`settings=default,settings=lockdep4j.jfc` (what `lockdep4j run` does)", agent),
        "lockdep4j-nfs": ("as lockdep4j, with the sample's agent options: "
                          "`-javaagent:lockdep4j-agent.jar=config=samples/lockdep4j-agent.properties` "
                          "(what `lockdep4j demo` does)", agent_nfs),
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def wait_idle(limit):
    n = os.cpu_count() or 1
    waited = 0
    while waited < limit and float(loadavg().split()[0]) >= n:
        if waited == 0:
            log(f"load {loadavg().split()[0]} >= {n} CPUs: waiting up to {limit}s for the machine to calm down")
        time.sleep(10)
        waited += 10


def pump(stream, out_path, on_line):
    """Copy a child's stream to a file, calling on_line(line, time_ns) as each line arrives."""
    with open(out_path, "w") as out:
        for line in iter(stream.readline, ""):
            now = time.time_ns()
            out.write(line)
            out.flush()
            on_line(line, now)


def parse_summary(text):
    r = {}
    m = re.search(r"nfs-load summary: ops=(\d+) seconds=([\d.]+) ops/s=([\d.]+) errors=(\d+) verifyErrors=(\d+)", text)
    if m:
        r.update(ops=int(m[1]), seconds=float(m[2]), ops_s=float(m[3]), errors=int(m[4]), verify_errors=int(m[5]))
    m = re.search(r"nfs-load latency\(us\): p50=(\d+) p99=(\d+) p99.9=(\d+) max=(\d+)", text)
    if m:
        r.update(op_p50_us=int(m[1]), op_p99_us=int(m[2]), op_p999_us=int(m[3]), op_max_us=int(m[4]))
    m = re.search(r"nfs-load rpc: calls=(\d+) rpcs/s=([\d.]+) latency\(us\) p50=(\d+) p99=(\d+) p99.9=(\d+) max=(\d+)", text)
    if m:
        r.update(rpcs=int(m[1]), rpcs_s=float(m[2]), rpc_p50_us=int(m[3]), rpc_p99_us=int(m[4]),
                 rpc_p999_us=int(m[5]), rpc_max_us=int(m[6]))
    m = re.search(r"nfs-load warmup: ops=(\d+)", text)
    if m:
        r["warmup_ops"] = int(m[1])
    m = re.search(r"nfs-load first-reply: epoch-us=(\d+)", text)
    if m:
        r["first_reply_epoch_us"] = int(m[1])
    return r


def trend(client_err):
    """Throughput of the second half of the measured phase / the first half, from the driver's
    per-second progress lines; well above 1 means the server was still warming up."""
    rates, measuring = [], False
    with open(client_err, errors="replace") as f:
        for line in f:
            if line.startswith("nfs-load: measuring"):
                measuring = True
            elif line.startswith("nfs-load: measurement done"):
                break
            elif measuring:
                m = re.match(r"nfs-load: t=\d+s ops=\d+ ops/s=([\d.]+)", line)
                if m:
                    rates.append(float(m[1]))
    rates = rates[1:]  # the first second straddles the end of the warm-up
    if len(rates) < 4:
        return None
    half = len(rates) // 2
    first, second = sum(rates[:half]) / half, sum(rates[-half:]) / half
    return second / first if first > 0 else None


def one_run(a, name, rep, jvm_args, recording, rundir, cp):
    base = os.path.join(rundir, f"{name}-{rep}")
    port = free_port()
    ev = {"waiting": threading.Event(), "measuring": threading.Event(), "done": threading.Event(),
          "listening": threading.Event()}
    stamps = {}
    server_box = {}

    def on_client_line(line, now):
        if line.startswith("nfs-load: waiting for server"):
            ev["waiting"].set()
        elif line.startswith("nfs-load: measuring"):
            p = server_box.get("proc")
            stamps["cpu0"] = cpu_seconds(p.pid) if p else None
            stamps["t_measure"] = now
            ev["measuring"].set()
        elif line.startswith("nfs-load: measurement done"):
            p = server_box.get("proc")
            stamps["cpu1"] = cpu_seconds(p.pid) if p else None
            stamps["t_done"] = now
            ev["done"].set()

    def on_server_line(line, now):
        if "listening on port" in line and "t_listen" not in stamps:
            stamps["t_listen"] = now
            p = server_box.get("proc")
            stamps["cpu_listen"] = cpu_seconds(p.pid) if p else None
            ev["listening"].set()

    run = {"config": name, "rep": rep, "load": loadavg(), "port": port, "ok": False}
    client_cmd = [a.java, "-cp", cp, DRIVER, "--host", "127.0.0.1", "--port", str(port),
                  "--threads", str(a.threads), "--warmup", str(a.warmup), "--seconds", str(a.seconds),
                  "--wait-for-server", "120"]
    server_cmd = [a.java, *jvm_args, "-cp", cp, SERVER, "--bind", "127.0.0.1", "--port", str(port)]
    run["server_cmd"] = " ".join(server_cmd)
    with open(base + ".client.out", "w") as cout:
        client = subprocess.Popen(client_cmd, stdout=cout, stderr=subprocess.PIPE, text=True)
    ct = threading.Thread(target=pump, args=(client.stderr, base + ".client.err", on_client_line), daemon=True)
    ct.start()
    server = None
    try:
        if not ev["waiting"].wait(120):
            run["error"] = "the load driver never got ready (see " + base + ".client.err)"
            return run
        t0 = time.time_ns()
        with open(base + ".server.err", "w") as serr:
            server = subprocess.Popen(server_cmd, stdout=subprocess.PIPE, stderr=serr, text=True)
        server_box["proc"] = server
        st = threading.Thread(target=pump, args=(server.stdout, base + ".server.out", on_server_line), daemon=True)
        st.start()
        deadline = time.monotonic() + a.warmup + a.seconds + 240
        while True:
            try:
                client.wait(timeout=1)
                break
            except subprocess.TimeoutExpired:
                pass
            if server.poll() is not None or time.monotonic() > deadline:  # the server died, or a hang
                if server.poll() is None:
                    run["error"] = "the load driver did not finish in time"
                client.kill()
                client.wait()
                break
        ct.join(5)
        if server.poll() is not None:
            run["error"] = f"the server exited early ({server.returncode}); see {base}.server.err"
        else:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=180)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
                run.setdefault("error", "the server did not stop on SIGTERM within 180 s")
        st.join(5)
        with open(base + ".client.out") as f:
            summary = parse_summary(f.read())
        run.update(summary)
        run["client_exit"] = client.returncode
        run["trend"] = trend(base + ".client.err")
        if "t_listen" in stamps:
            run["startup_listen_s"] = (stamps["t_listen"] - t0) / 1e9
            run["startup_cpu_s"] = stamps.get("cpu_listen")
        if "first_reply_epoch_us" in summary:
            run["startup_first_rpc_s"] = (summary["first_reply_epoch_us"] * 1000 - t0) / 1e9
        c0, c1 = stamps.get("cpu0"), stamps.get("cpu1")
        if c0 is not None and c1 is not None and summary.get("rpcs"):
            run["server_cpu_s"] = c1 - c0
            run["server_cpu_us_per_rpc"] = (c1 - c0) * 1e6 / summary["rpcs"]
            run["measure_wall_s"] = (stamps["t_done"] - stamps["t_measure"]) / 1e9
        with open(base + ".server.err", errors="replace") as f:
            m = re.search(r"lockdep4j-nfs stats: rpcCalls=(\d+) rpcFailures=(\d+)", f.read())
        if m:
            run["server_rpc_calls"], run["server_rpc_failures"] = int(m[1]), int(m[2])
        if recording and os.path.exists(recording):
            run["recording_bytes"] = os.path.getsize(recording)
        if "error" not in run:
            if not summary.get("rpcs"):
                run["error"] = f"no load summary (driver exit {client.returncode}); see {base}.client.*"
            elif summary.get("errors") or summary.get("verify_errors"):
                run["error"] = f"load errors={summary.get('errors')} verifyErrors={summary.get('verify_errors')}"
            else:
                run["ok"] = True
        return run
    finally:
        for p in (client, server):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--results", required=True)
    ap.add_argument("--java", default="java")
    ap.add_argument("--cp", required=True)
    ap.add_argument("--agent", required=True)
    ap.add_argument("--jfc", required=True)
    ap.add_argument("--nfs-opts", required=True)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=30)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--configs", default="baseline,jfr,lockdep4j,lockdep4j-nfs")
    ap.add_argument("--idle-wait", type=int, default=120)
    a = ap.parse_args()
    rundir = os.path.join(a.results, "macro")
    os.makedirs(rundir, exist_ok=True)
    known = configurations(a, rundir)
    names = [c for c in a.configs.split(",") if c]
    for c in names:
        if c not in known:
            sys.exit(f"macro.py: unknown configuration {c} (known: {', '.join(known)})")
    out = {"settings": {"reps": a.reps, "warmup_s": a.warmup, "seconds": a.seconds, "threads": a.threads,
                        "java": a.java, "order": names},
           "configs": {c: known[c][0] for c in names}, "runs": []}
    path = os.path.join(a.results, "macro.json")
    for rep in range(1, a.reps + 1):
        wait_idle(a.idle_wait)
        for name in names:
            jvm_args, recording = known[name][1](rep)
            log(f"rep {rep}/{a.reps} {name} (load {loadavg()})")
            r = one_run(a, name, rep, jvm_args, recording, rundir, a.cp)
            out["runs"].append(r)
            if r["ok"]:
                log(f"  {r['rpcs_s']:.0f} RPCs/s, RPC p50 {r['rpc_p50_us']} us p99 {r['rpc_p99_us']} us, "
                    f"server CPU {r.get('server_cpu_us_per_rpc', float('nan')):.0f} us/RPC, "
                    f"start-up {r.get('startup_listen_s', float('nan')):.2f} s to listening, "
                    f"{r.get('startup_first_rpc_s', float('nan')):.2f} s to first reply")
            else:
                log(f"  failed: {r.get('error')}")
            with open(path, "w") as f:  # after every run: a partial result survives an interruption
                json.dump(out, f, indent=1)
    return 0 if all(r["ok"] for r in out["runs"]) else 1


if __name__ == "__main__":
    sys.exit(main())
