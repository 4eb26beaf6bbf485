#!/usr/bin/env python3
"""Check a promqltest-style .test file against promtool 2.42.
Usage: oracle.py FILE [--fill]  (--fill rewrites expected lines of instant evals with promtool's results)"""
import sys, re, subprocess, json, os, tempfile

def parse(path):
    lines = open(path).read().split("\n")
    blocks = []  # (kind, header, header_lineno, body[(lineno,text)])
    i = 0
    while i < len(lines):
        line = lines[i].strip(); i += 1
        if not line or line.startswith("#"):
            blocks.append(("raw", lines[i-1], i, [])); continue
        body = []
        while i < len(lines) and (lines[i].startswith(" ") or lines[i].startswith("\t")):
            body.append((i+1, lines[i])); i += 1
        blocks.append(("cmd", line, i - len(body), body))
    return blocks

def q(s): return json.dumps(s)

def dur(t):
    if re.fullmatch(r"\d+", t): return int(t) * 1000
    total = 0
    for n, u in re.findall(r"(\d+)(ms|s|m|h|d|w|y)", t):
        total += int(n) * {"ms": 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000, "w": 604800000, "y": 31536000000}[u]
    return total

def split_series(text):
    text = text.strip()
    depth = 0; inq = None; j = 0
    while j < len(text):
        c = text[j]
        if inq:
            if c == "\\": j += 1
            elif c == inq: inq = None
        elif c in "\"'": inq = c
        elif c == "{": depth += 1
        elif c == "}": depth -= 1
        elif c == " " and depth == 0: break
        j += 1
    return text[:j], text[j:].strip()

def build(blocks):
    groups = []  # each: interval, series[], evals[]
    cur = None
    for idx, (kind, line, no, body) in enumerate(blocks):
        if kind != "cmd": continue
        w = line.split(" ", 1)
        if w[0] == "clear": cur = None; continue
        if w[0] == "load":
            if cur is None or cur["evals"]:
                cur = {"interval": w[1], "series": list(cur["series"]) if cur and not cur["evals"] else [], "evals": []}
                groups.append(cur)
            for (_, t) in body:
                t = t.strip()
                if not t or t.startswith("#"): continue
                s, v = split_series(t)
                cur["series"].append((s, v))
            continue
        if w[0].startswith("eval"):
            m = re.match(r"instant at (\S+) (.*)$", w[1])
            if not m: continue
            if cur is None:
                cur = {"interval": "1m", "series": [], "evals": []}; groups.append(cur)
            cur["evals"].append({"block": idx, "fail": w[0] == "eval_fail", "time": m.group(1), "expr": m.group(2)})
    return groups

def run(groups):
    results = {}
    for g in groups:
        y = ["evaluation_interval: 1m", "tests:", "  - interval: " + g["interval"], "    input_series:"]
        if not g["series"]:
            y.append("      - series: 'oracle_dummy_series'\n        values: '0'")
        for s, v in g["series"]:
            y.append("      - series: " + q(s)); y.append("        values: " + q(v))
        y.append("    promql_expr_test:")
        for e in g["evals"]:
            t = e["time"]
            if re.fullmatch(r"\d+", t): t = t + "s"
            y.append("      - expr: " + q(e["expr"])); y.append("        eval_time: " + t)
            y.append("        exp_samples:\n          - labels: 'sentinel_never'\n            value: 12345")
        # promtool loads input samples only up to the last multiple of evaluation_interval
        # at or before the largest eval_time: a final dummy test makes that cover every eval.
        last = max([dur(e["time"]) for e in g["evals"]] + [0])
        y.append("      - expr: 'vector(0)'\n        eval_time: " + str(last // 60000 + 10) + "m")   # margin for negative offsets
        y.append("        exp_samples:\n          - labels: '{}'\n            value: 0")
        with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as f:
            f.write("\n".join(y) + "\n"); name = f.name
        out = subprocess.run(["promtool", "test", "rules", name], capture_output=True, text=True)
        text = out.stdout + out.stderr
        os.unlink(name)
        # split per expr
        chunks = re.split(r"\n\s+expr: ", text)
        by = {}
        for c in chunks[1:]:
            m = re.match(r'"((?:[^"\\]|\\.)*)", time: (\S+?),', c)
            if not m:
                continue
            expr = json.loads('"' + m.group(1) + '"')
            got = re.search(r"got: (.*)", c)
            err = re.search(r"err: (.*)|error: (.*)", c)
            by.setdefault((expr, dur(m.group(2))), []).append(("got", got.group(1)) if got else ("err", c.strip()))
        for e in g["evals"]:
            t = e["time"]
            if re.fullmatch(r"\d+", t): t = t + "s"
            key = (e["expr"], dur(t))
            r = by.get(key, [("raw", text)])
            results[e["block"]] = r.pop(0) if r else ("raw", text)
    return results

def parse_got(s):
    if s.strip() == "nil": return []
    out = []
    for m in re.finditer(r'(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\}) (\S+?)(?:,|$)', s):
        out.append((m.group(1), m.group(2)))
    return out

def fmt_labels(l):
    m = re.fullmatch(r'\{__name__="([^"]*)"(?:, )?(.*)\}', l)
    if m: return m.group(1) + "{" + m.group(2) + "}" if m.group(2) else m.group(1)
    return l

def num(v):
    f = float(v)
    if f != f: return "NaN"
    if f in (float("inf"), float("-inf")): return ("" if f > 0 else "-") + "Inf"
    r = repr(f)
    if r.endswith(".0"): r = r[:-2]
    return r

def main():
    path = sys.argv[1]; fill = "--fill" in sys.argv
    blocks = parse(path); groups = build(blocks); res = run(groups)
    out = []; bad = 0
    for idx, (kind, line, no, body) in enumerate(blocks):
        if kind == "raw": out.append(line); continue
        out.append(line)
        if idx in res:
            k, v = res[idx]
            fail = line.startswith("eval_fail")
            if k == "got":
                got = [(fmt_labels(l), num(x)) for l, x in parse_got(v)]
                if fail:
                    print(f"{path}:{no}: promtool did NOT fail: {line}\n  got {v}"); bad += 1
                exp = []
                for _, t in body:
                    t = t.strip()
                    if not t or t.startswith("#"): continue
                    try:
                        float(t.replace("Inf","inf")); exp.append(("{}", t)); continue
                    except ValueError: pass
                    s, val = split_series(t); exp.append((s.replace('", ', '",').replace(", ", ","), val))
                def norm(p):
                    l, x = p
                    name = re.match(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)", l)
                    pairs = re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"', l)
                    if name: pairs.append(("__name__", name.group(1)))
                    return (tuple(sorted(pairs)), float(x.replace("Inf","inf")))
                def close(a, b):
                    if a[0] != b[0]: return False
                    x, y = a[1], b[1]
                    if x != x and y != y: return True
                    return x == y or abs(x-y) <= 1e-6*(abs(x)+abs(y))
                A = sorted(map(norm, exp)); B = sorted(map(norm, got))
                if not fail and (len(A) != len(B) or not all(close(a, b) for a, b in zip(A, B))):
                    bad += 1
                    print(f"{path}:{no}: {line}\n  promtool: " + "; ".join(f"{l} {x}" for l, x in got))
                if fill and not fail:
                    for l, x in got: out.append(f"  {l} {x}")
                    continue
            elif k == "err":
                if fill and not fail:
                    out[-1] = line.replace("eval ", "eval_fail ", 1)
                    continue
                if not fail:
                    bad += 1; print(f"{path}:{no}: promtool failed: {line}\n  {v[:300]}")
            else:
                print(f"{path}:{no}: could not match promtool output for {line}:\n{v[:500]}"); bad += 1
        for _, t in body: out.append(t)
    if fill:
        open(path, "w").write("\n".join(out))
    print(f"{bad} mismatches")

main()
