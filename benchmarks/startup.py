#!/usr/bin/env python3
"""Start-up cost of the agent: a hello world with agent + JFR against JFR alone, in one run.

usage: startup.py --java JAVA --agent AGENT.jar --jfc lockdep4j.jfc --work DIR [--runs N] [--out startup.md]
                  [--agent-opts OPTS]

Both configurations record with settings=default plus lockdep4j.jfc (as `lockdep4j run` does), so the
difference is the agent alone. The agent runs twice per round: with its transform cache as an earlier JVM
left it (every JVM of a CI run but its first: the target's case), and with an empty one (a private
java.io.tmpdir emptied before each run: the first JVM after a new agent jar, JDK or options). The runs are
interleaved (JFR alone, agent, agent first start, ...) after one warm-up round, so that a machine whose load
changes during the run affects all the same way. Wall time is
measured around the child process; CPU is the child's user + system time (os.wait4), which includes
the JIT and GC threads, the part a busy CI machine pays for. Medians are reported, with the spread.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TARGET_WALL_S = 0.25

HELLO = """public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
"""


def compile_hello(java, work):
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, "Hello.java")
    with open(src, "w") as f:
        f.write(HELLO)
    javac = os.path.join(os.path.dirname(java), "javac")
    if not os.path.exists(javac):
        javac = "javac"
    subprocess.run([javac, "--release", "11", "-d", work, src], check=True)


def run_once(cmd):
    """Wall seconds, CPU seconds (user + system) and exit code of one child JVM."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime, p.returncode, err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", default="java")
    ap.add_argument("--agent", required=True)
    ap.add_argument("--agent-opts", default="")
    ap.add_argument("--jfc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--out")
    a = ap.parse_args()
    compile_hello(a.java, a.work)
    jfr = os.path.join(a.work, "startup.jfr")

    warm_tmp = os.path.join(a.work, "tmp-cache-kept")
    cold_tmp = os.path.join(a.work, "tmp-cache-empty")
    shutil.rmtree(warm_tmp, ignore_errors=True)
    os.makedirs(warm_tmp)

    def cmd(with_agent, tmp=None):
        c = [a.java]
        if with_agent:
            c.append(f"-Djava.io.tmpdir={tmp}")
            c.append(f"-javaagent:{a.agent}" + (f"={a.agent_opts}" if a.agent_opts else ""))
        c += ["-Xlog:jfr+startup=off", f"-XX:StartFlightRecording:settings=default,settings={a.jfc},filename={jfr}",
              "-cp", a.work, "Hello"]
        return c

    configs = {"jfr": cmd(False), "agent": cmd(True, warm_tmp), "agent-cold": cmd(True, cold_tmp)}
    results = {k: [] for k in configs}
    for i in range(a.runs + 1):
        for name, c in configs.items():
            if name == "agent-cold":
                shutil.rmtree(cold_tmp, ignore_errors=True)
                os.makedirs(cold_tmp)
            wall, cpu, rc, err = run_once(c)
            if rc != 0:
                sys.exit(f"startup.py: {name} exited {rc}: {' '.join(c)}\n{err}")
            if i > 0:  # the first pair warms the page cache
                results[name].append((wall, cpu))
    lines = render(a, results)
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)


def render(a, results):
    def med(name, k):
        return statistics.median(r[k] for r in results[name])

    def spread(name, k):
        xs = [r[k] for r in results[name]]
        return f"{min(xs):.2f}-{max(xs):.2f}"

    # the added cost per pair (both runs of a pair saw about the same machine load), then its median
    def added(name):
        pairs = [(g[0] - j[0], g[1] - j[1]) for j, g in zip(results["jfr"], results[name])]
        return statistics.median(x[0] for x in pairs), statistics.median(x[1] for x in pairs)

    add_wall, add_cpu = added("agent")
    cold_wall, cold_cpu = added("agent-cold")
    verdict = "met" if add_wall <= TARGET_WALL_S else "NOT met"
    w = []
    w.append("## Start-up: hello world, agent + JFR against JFR alone")
    w.append("")
    w.append(f"`benchmarks/startup.py`: {a.runs} interleaved rounds after one warm-up round; all record with "
             "`settings=default,settings=lockdep4j.jfc`; medians (min-max). CPU is user + system of the child "
             "JVM (JIT and GC threads included). \"agent + JFR\" starts with the transform cache an earlier JVM "
             "left (every JVM of a CI run but the first); \"first start\" with an empty one (a new agent jar, "
             "JDK or option set: Byte Buddy built and the JDK classes rewritten).")
    w.append("")
    w.append("| configuration | wall (s) | CPU (s) |")
    w.append("|---|---:|---:|")
    w.append(f"| JFR alone (baseline) | {med('jfr', 0):.2f} ({spread('jfr', 0)}) | {med('jfr', 1):.2f} ({spread('jfr', 1)}) |")
    w.append(f"| agent + JFR | {med('agent', 0):.2f} ({spread('agent', 0)}) | {med('agent', 1):.2f} ({spread('agent', 1)}) |")
    w.append(f"| **added by the agent** (median of the pairs) | **+{add_wall:.2f}** | **+{add_cpu:.2f}** |")
    w.append(f"| agent + JFR, first start (empty transform cache) | {med('agent-cold', 0):.2f} ({spread('agent-cold', 0)}) | "
             f"{med('agent-cold', 1):.2f} ({spread('agent-cold', 1)}) |")
    w.append(f"| added by a first start | +{cold_wall:.2f} | +{cold_cpu:.2f} |")
    w.append("")
    w.append(f"Target: at most +{TARGET_WALL_S:.2f} s wall added (with the transform cache): **{verdict}**.")
    w.append("")
    return w


if __name__ == "__main__":
    main()
