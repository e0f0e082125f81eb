"""The measuring half of scripts/measure-local-model.sh (see its header).

`run` drives scripted rounds and a judge batch against one model and writes
summary.json; `table` prints the summaries of several models side by side.
Standard library only, so it runs wherever python3 does.
"""

import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Data formats in the catalogue that are names of a technology, not words
# any sentence uses ("text", "logs", "json").
GENERIC_FORMATS = {"json", "text", "logs", "sql", "binary", "csv", "proto", "cdc events"}


def isolated_env(out):
    """The user's config and keys never reach a measured run."""
    env = dict(os.environ)
    for k in ("MOCKROUND_CONFIG", "MOCKROUND_BACKEND", "MOCKROUND_MODEL", "OPENAI_API_KEY"):
        env.pop(k, None)
    env["XDG_CONFIG_HOME"] = os.path.join(out, "xdg-config")
    env["NO_COLOR"] = "1"
    return env


def timed_run(cmd, env, stdout_path, stderr_path):
    """Runs cmd; returns (exit code, stdout bytes, [(seconds, end offset)]),
    one entry per read of stdout, so each byte has an arrival time."""
    t0 = time.monotonic()
    with open(stderr_path, "wb") as err:
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env)
        data = bytearray()
        arrivals = []
        fd = p.stdout.fileno()
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
            arrivals.append((time.monotonic() - t0, len(data)))
        code = p.wait()
    with open(stdout_path, "wb") as f:
        f.write(data)
    return code, bytes(data), arrivals, time.monotonic() - t0


def arrival(arrivals, offset):
    """When byte `offset` of stdout arrived."""
    for t, end in arrivals:
        if offset < end:
            return t
    return arrivals[-1][0] if arrivals else 0.0


def turn_seconds(data, arrivals):
    """Seconds per interviewer turn, from its label to the last byte before
    what follows it (the candidate's next line, the next turn, or the
    debrief), in the order the turns were printed."""
    # Offsets are in bytes, as the arrival times are.
    labels = [m.start() for m in re.finditer(rb"(?m)^Interviewer: ", data)]
    you = [m.start() for m in re.finditer(rb"(?m)^You: ", data)]
    out = []
    for i, start in enumerate(labels):
        nxt = labels[i + 1] if i + 1 < len(labels) else None
        cands = [y for y in you if y > start]
        bound = min([b for b in (nxt, cands[0] if cands else None) if b is not None], default=None)
        if bound is None:
            # The last turn: the debrief follows, printed after the model's
            # closing words; it starts with a Markdown heading.
            m = re.compile(rb"(?m)^#{1,3} ").search(data, start)
            bound = m.start() if m else len(data)
        out.append(arrival(arrivals, bound - 1) - arrival(arrivals, start))
    return out


def load_vocab():
    """Product names (with synonyms) and technology formats from the catalogue:
    (case-insensitive names, case-sensitive names)."""
    with open(os.path.join(ROOT, "rubrics", "components.toml"), "rb") as f:
        cat = tomllib.load(f)
    loose, exact = set(), set()
    for c in cat.get("component", []):
        names = [c["name"], *c.get("synonyms", [])]
        (exact if c.get("exact_case") else loose).update(names)
    loose.update(x for x in cat.get("formats", []) if x not in GENERIC_FORMATS)
    return loose, exact


def number_key(raw):
    s = raw.replace(",", "").strip().lower()
    mult = {"k": 1e3, "m": 1e6, "b": 1e9}.get(s[-1:], 1)
    s = s.rstrip("kmb").strip()
    try:
        v = float(s) * mult
    except ValueError:
        return None
    # One-digit numbers ("3 failure modes", "1 topic") say little.
    if v < 10 and mult == 1:
        return None
    return f"#{v:g}"


def terms(text, vocab):
    """What in `text` could be the candidate's own: products, snake_case
    identifiers, numbers (normalised: 200K = 200,000)."""
    loose, exact = vocab
    found = set()
    low = text.lower()
    for name in loose:
        if re.search(r"(?<!\w)" + re.escape(name.lower()) + r"(?!\w)", low):
            found.add(name.lower())
    for name in exact:
        if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            found.add(name.lower())
    found.update(m.group(0).lower() for m in re.finditer(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b", text))
    for m in re.finditer(r"(?<![\w.])\d[\d,]*(?:\.\d+)?\s?[kKmMbB]?(?![\w])", text):
        k = number_key(m.group(0))
        if k:
            found.add(k)
    return found


def used_offered(offered, text):
    """Whether the reply carries the candidate's words the notes offered
    ("64 partitions; user_id"): an identifier whole, a number by its digits."""
    if not offered:
        return False
    low = text.lower()
    for t in offered.split("; "):
        head = t.split()[0].lower() if t.split() else ""
        key = re.sub(r"[-].*$", "", head)
        if key and re.search(r"(?<![\w.,])" + re.escape(key) + r"(?![\w]|[.,]\d)", low):
            return True
    return False


def classify(r):
    """kept / copied / replaced / not-asked / template for one interviewer record."""
    why = r.get("fallback")
    if why and why.startswith("not asked"):
        return "not-asked"
    if why:
        return "replaced"
    if r.get("by_model"):
        return "copied" if r.get("copied") else "kept"
    return "template"


def read_journal(path):
    out = []
    for line in open(path, encoding="utf-8", errors="replace"):
        try:
            out.append(json.loads(line))
        except ValueError:
            pass  # a torn last line
    return out


def analyse_round(records, seconds, vocab):
    """Per-turn facts of one round: class, reason, seconds, names-own."""
    turns = []
    said = set()  # terms the interviewer used before
    own = set()  # terms the candidate said first
    theirs = set()  # every term the candidate said, first or not
    inter = [r for r in records if r.get("type") == "interviewer"]
    aligned = len(inter) == len(seconds)
    k = 0
    for r in records:
        t = r.get("type")
        if t == "candidate":
            mine = terms(r.get("text", ""), vocab)
            own |= mine - said
            theirs |= mine
        elif t == "interviewer":
            cls = classify(r)
            mine = terms(r.get("text", ""), vocab)
            turns.append({
                "class": cls,
                "reason": re.sub(r"\s*\(.*$", "", r.get("fallback") or "").strip() or None,
                "seconds": seconds[k] if aligned else None,
                "names_own": sorted(mine & own),
                "names_theirs": sorted(mine & theirs),
                "offered": r.get("offered"),
                "used_offered": used_offered(r.get("offered"), r.get("text", "")),
                "text": r.get("text", ""),
                "rejected": r.get("rejected"),
                "retry": r.get("retry"),
            })
            said |= mine
            k += 1
    return turns, aligned


def server_speed(log, offset):
    """Prompt and generation tokens/s from llama.cpp's per-request timings in
    the server log, from `offset` on."""
    try:
        with open(log, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return None
    p = [(float(ms), int(n)) for ms, n in re.findall(r"prompt eval time\s*=\s*([\d.]+) ms /\s*(\d+) tokens", text)]
    g = [(float(ms), int(n)) for ms, n in re.findall(r"(?m)^\s*(?:llama_perf_context_print:\s*)?eval time\s*=\s*([\d.]+) ms /\s*(\d+) runs", text)]

    def rate(xs):
        ms, n = sum(x[0] for x in xs), sum(x[1] for x in xs)
        return {"tokens": n, "per_s": round(n / (ms / 1000), 1) if ms else None}

    return {"requests": len(p), "prompt": rate(p), "generation": rate(g)}


def log_size(log):
    try:
        return os.path.getsize(log)
    except OSError:
        return 0


def pct(xs, q):
    if not xs:
        return None
    xs = sorted(xs)
    i = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return round(xs[i], 1)


def run_rounds(a, env, vocab):
    scripts = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/scripts/*_*.txt")))
    data_dir = os.path.join(a.out, "data")
    rounds = []
    for i in range(1, a.rounds + 1):
        s = scripts[(i - 1) % len(scripts)]
        name = os.path.basename(s)[:-4]
        problem = name.split("_")[0]
        cmd = [a.bin, "--backend", "openai", "--base-url", a.url, "--model", a.model,
               "--data-dir", data_dir, "practice", "--problem", problem, "--seed", str(i), "--answers", s]
        code, data, arrivals, wall = timed_run(
            cmd, env, os.path.join(a.out, f"round-{i}.out"), os.path.join(a.out, f"round-{i}.err"))
        err = open(os.path.join(a.out, f"round-{i}.err"), encoding="utf-8", errors="replace").read()
        m = re.search(r"Journal: (\S+\.jsonl)", err)
        records = read_journal(m.group(1)) if m and os.path.exists(m.group(1)) else []
        turns, aligned = analyse_round(records, turn_seconds(data, arrivals), vocab)
        rounds.append({"round": i, "problem": problem, "script": name, "exit": code,
                       "seconds": round(wall, 1), "aligned": aligned, "turns": turns})
        asked = [t for t in turns if t["class"] in ("kept", "copied", "replaced")]
        print(f"  round {i}/{a.rounds} {name}: exit {code}, {wall:.0f} s, {len(turns)} turns "
              f"({sum(t['class'] == 'kept' for t in turns)} kept, {sum(t['class'] == 'copied' for t in turns)} copied, "
              f"{sum(t['class'] == 'replaced' for t in turns)} replaced of {len(asked)} asked)", file=sys.stderr)
    return rounds


def run_grade(a, env):
    answers = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/answers/*.md")))
    n = min(a.answers, len(answers))
    # Evenly spread over the calibration set, so every problem and level shows.
    picked = [answers[(k * len(answers)) // n] for k in range(n)]
    inp = os.path.join(a.out, "in")
    shutil.rmtree(inp, ignore_errors=True)
    os.makedirs(inp)
    for p in picked:
        shutil.copy(p, inp)
    cfg = os.path.join(a.out, "config.toml")
    scope = f'judge_scope = "{a.judge_scope}"\n' if a.judge_scope else ""
    with open(cfg, "w") as f:
        f.write(f'default = "local"\n[backends.local]\nkind = "openai"\nbase_url = "{a.url}"\n'
                f'model = "{a.model}"\njobs = 1\njudge_max_tokens = {a.judge_max_tokens}\n{scope}'
                "[backends.local.timeouts]\nrequest_secs = 600\nidle_secs = 300\n"
                "[backends.local.retry]\nmax_attempts = 2\n")
    results = os.path.join(a.out, "results.jsonl")
    if os.path.exists(results):
        os.remove(results)
    t0 = time.monotonic()
    with open(os.path.join(a.out, "grade.out"), "wb") as o, open(os.path.join(a.out, "grade.err"), "wb") as e:
        code = subprocess.call([a.bin, "--config", cfg, "--data-dir", os.path.join(a.out, "data"),
                                "grade", inp, "--out", results], stdout=o, stderr=e, env=env)
    wall = time.monotonic() - t0
    rows = [json.loads(l) for l in open(results)] if os.path.exists(results) else []
    status = {}
    errors = {}
    for r in rows:
        status[r.get("judge_status")] = status.get(r.get("judge_status"), 0) + 1
        if r.get("error"):
            why = re.sub(r"\d+", "N", r["error"])[:110]
            errors[why] = errors.get(why, 0) + 1
    valid = sum(r.get("judge_status") in ("ok", "repaired") for r in rows)
    lat = [r.get("latency_ms", 0) / 1000 for r in rows]
    return {"exit": code, "answers": n, "rows": len(rows), "valid_json": valid, "status": status,
            "errors": errors, "seconds": round(wall, 1), "median_s": pct(lat, 0.5),
            "judge_max_tokens": a.judge_max_tokens, "judge_scope": a.judge_scope or "default"}


def run(a):
    os.makedirs(a.out, exist_ok=True)
    env = isolated_env(a.out)
    vocab = load_vocab()
    load0 = os.getloadavg()
    print(f"measure {a.model}: {a.rounds} rounds, {a.answers} answers (load {load0[0]:.1f})", file=sys.stderr)
    at = log_size(a.server_log)
    rounds = run_rounds(a, env, vocab) if a.rounds else []
    round_speed = server_speed(a.server_log, at)
    at = log_size(a.server_log)
    grade = run_grade(a, env) if a.answers else None
    grade_speed = server_speed(a.server_log, at) if a.answers else None
    turns = [t for r in rounds for t in r["turns"]]
    asked = [t for t in turns if t["class"] in ("kept", "copied", "replaced")]
    by_model = [t for t in asked if t["class"] in ("kept", "copied")]
    reasons = {}
    rejected = {}
    for t in turns:
        if t["class"] in ("replaced", "not-asked"):
            reasons[t["reason"]] = reasons.get(t["reason"], 0) + 1
            if t.get("rejected"):
                rejected.setdefault(t["reason"], []).append(t["rejected"][:160])
    secs = [t["seconds"] for t in asked if t["seconds"] is not None]
    count = lambda c: sum(t["class"] == c for t in turns)
    summary = {
        "model": a.model,
        "load_average_at_start": round(load0[0], 2),
        "load_average_at_end": round(os.getloadavg()[0], 2),
        "rounds": len(rounds),
        "rounds_exit_0": sum(r["exit"] == 0 for r in rounds),
        "problems": sorted({r["problem"] for r in rounds}),
        "round_seconds_median": pct([r["seconds"] for r in rounds], 0.5),
        "turns": len(turns),
        "asked": len(asked),
        "kept": count("kept"),
        "copied": count("copied"),
        "replaced": count("replaced"),
        "not_asked": count("not-asked"),
        "template_by_design": count("template"),
        "retried": sum(bool(t.get("retry")) for t in asked),
        "kept_after_retry": sum(bool(t.get("retry")) for t in by_model),
        "replaced_reasons": reasons,
        "rejected_examples": rejected,
        "names_own": sum(bool(t["names_own"]) for t in by_model),
        "names_theirs": sum(bool(t.get("names_theirs")) for t in by_model),
        "offered": sum(bool(t.get("offered")) for t in by_model),
        "used_offered": sum(bool(t.get("used_offered")) for t in by_model),
        "names_own_examples": [
            {"said": t["text"][:200], "own": t["names_own"]} for t in by_model if t["names_own"]
        ][:5],
        "turn_seconds_median": pct(secs, 0.5),
        "turn_seconds_p90": pct(secs, 0.9),
        "timed_turns": len(secs),
        "unaligned_rounds": [r["round"] for r in rounds if not r["aligned"]],
        "server_rounds": round_speed,
        "grade": grade,
        "server_grade": grade_speed,
    }
    with open(os.path.join(a.out, "rounds.json"), "w") as f:
        json.dump(rounds, f, indent=1)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)


def share(n, d):
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else f"{n}/0"


def table(out, models):
    rows = []
    for m in models:
        try:
            rows.append(json.load(open(os.path.join(out, m, "summary.json"))))
        except OSError:
            print(f"{m}: no summary (the run stopped early?)")
    if not rows:
        return
    def speed(s, k):
        return f"{s[k]['per_s']}" if s and s.get(k) and s[k]["per_s"] is not None else "-"
    lines = [
        ("model", lambda s: s["model"]),
        ("rounds (exit 0) / problems", lambda s: f"{s['rounds']} ({s['rounds_exit_0']}) / {len(s['problems'])}"),
        ("model-asked turns", lambda s: str(s["asked"])),
        ("kept (own words)", lambda s: share(s["kept"], s["asked"])),
        ("copied (template verbatim)", lambda s: share(s["copied"], s["asked"])),
        ("replaced by the template", lambda s: share(s["replaced"], s["asked"])),
        ("not asked (model down)", lambda s: str(s["not_asked"])),
        ("retried once / used after the retry", lambda s: f"{s.get('retried', 0)} / {s.get('kept_after_retry', 0)}"),
        ("kept/copied naming the candidate's own term", lambda s: share(s["names_own"], s["kept"] + s["copied"])),
        ("  ... counting terms the interviewer said before", lambda s: share(s.get("names_theirs", 0), s["kept"] + s["copied"])),
        ("  ... offered their figure / used it", lambda s: f"{s.get('offered', 0)} / {s.get('used_offered', 0)}"),
        ("s per model turn: median / p90", lambda s: f"{s['turn_seconds_median']} / {s['turn_seconds_p90']} (n={s['timed_turns']})"),
        ("round wall time, median s", lambda s: str(s["round_seconds_median"])),
        ("server in rounds: prompt / gen tok/s", lambda s: f"{speed(s['server_rounds'], 'prompt')} / {speed(s['server_rounds'], 'generation')}"),
        ("judge valid JSON", lambda s: share(s["grade"]["valid_json"], s["grade"]["rows"]) if s["grade"] else "-"),
        ("judge s per answer (median)", lambda s: str(s["grade"]["median_s"]) if s["grade"] else "-"),
        ("judge scope / max tokens", lambda s: f"{s['grade']['judge_scope']} / {s['grade']['judge_max_tokens']}" if s["grade"] else "-"),
        ("server in grading: prompt / gen tok/s", lambda s: f"{speed(s['server_grade'], 'prompt')} / {speed(s['server_grade'], 'generation')}"),
        ("load average start / end", lambda s: f"{s['load_average_at_start']} / {s['load_average_at_end']}"),
    ]
    width = max(len(k) for k, _ in lines)
    for k, f in lines:
        print(f"{k:<{width}}  " + "  ".join(f"{f(s):<24}" for s in rows))
    for s in rows:
        print(f"\n{s['model']}: replaced because")
        for why, n in sorted(s["replaced_reasons"].items(), key=lambda x: -x[1]):
            print(f"  {n:4d}  {why}")
            for ex in s.get("rejected_examples", {}).get(why, [])[:2]:
                print(f"          e.g. {ex!r}")
        if s["grade"] and s["grade"]["errors"]:
            print(f"{s['model']}: judge rows with an error")
            for why, n in sorted(s["grade"]["errors"].items(), key=lambda x: -x[1]):
                print(f"  {n:4d}  {why}")
        for ex in s["names_own_examples"][:3]:
            print(f"  names {', '.join(ex['own'])}: {ex['said']!r}")
        if s["unaligned_rounds"]:
            print(f"  (rounds {s['unaligned_rounds']}: printed and journalled turns differ; their turns are not timed)")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    for k in ("--bin", "--url", "--model", "--out", "--server-log"):
        r.add_argument(k, required=True)
    r.add_argument("--rounds", type=int, default=12)
    r.add_argument("--answers", type=int, default=20)
    r.add_argument("--judge-max-tokens", type=int, default=600)
    r.add_argument("--judge-scope")
    t = sub.add_parser("table")
    t.add_argument("out")
    t.add_argument("models", nargs="+")
    a = p.parse_args()
    if a.cmd == "run":
        run(a)
    else:
        table(a.out, a.models)


if __name__ == "__main__":
    main()
